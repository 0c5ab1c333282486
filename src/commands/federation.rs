//! `maillage admin federation …` and `maillage admin territory …`. Changes
//! are written to the database; running servers pick them up within
//! `federation.policy_refresh_millis`, and deliver what a link change
//! queued.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use maillage_core::config::Config;
use maillage_core::policy::{FederationMode, FilterAction, FilterKind};
use maillage_core::Error;
use maillage_db::DbPool;
use maillage_service::policy::{self, BlockInput};

use crate::cli::{BlockArgs, FederationCommand, FilterCommand, TerritoryCommand};
use crate::exit::CommandError;

pub fn run(config: &Config, pool: &DbPool, cmd: FederationCommand) -> Result<(), CommandError> {
    let mut conn = pool.get()?;
    let conn = &mut *conn;
    let local = config.instance.domain.as_str();
    match cmd {
        FederationCommand::Mode { mode: None } => println!("{}", policy::mode(conn)?),
        FederationCommand::Mode { mode: Some(mode) } => {
            let mode: FederationMode = mode.parse()?;
            policy::set_mode(conn, mode)?;
            println!("federation mode is now {mode}");
        }
        FederationCommand::Block(args) => {
            let input = block_input(&args)?;
            let (row, created) = policy::upsert_block(conn, local, &input)?;
            let verb = if created { "blocked" } else { "block updated:" };
            println!("{verb} {} ({})", row.domain, row.severity);
        }
        FederationCommand::Unblock { domain } => {
            let row = policy::unblock_domain(conn, &domain)?;
            println!("{} is no longer blocked", row.domain);
        }
        FederationCommand::Allow { domain } => println!("allowed {}", policy::allow(conn, &domain)?.domain),
        FederationCommand::Disallow { domain } => {
            println!("{} is no longer allowed", policy::disallow_domain(conn, &domain)?.domain)
        }
        FederationCommand::List => list(conn)?,
        FederationCommand::Import { file } => {
            let text = read_input(&file)?;
            let n = policy::import_blocks(conn, local, &text)?;
            println!("imported {n} blocks");
        }
        FederationCommand::Export { file } => {
            let csv = policy::export_blocks(conn)?;
            match file {
                Some(path) => std::fs::write(&path, csv)
                    .map_err(|e| CommandError::Other(format!("cannot write {}: {e}", path.display())))?,
                None => print!("{csv}"),
            }
        }
        FederationCommand::Filter(FilterCommand::Add { kind, value, domain, action }) => {
            let kind: FilterKind = kind.parse()?;
            let action: FilterAction = action.parse()?;
            let row = policy::add_filter(conn, kind, &value, domain.as_deref(), action)?;
            println!("filter {} added: {} {} ({})", row.id, row.kind, row.value, row.action);
        }
        FederationCommand::Filter(FilterCommand::Remove { id }) => {
            policy::remove_filter(conn, id)?;
            println!("filter {id} removed");
        }
    }
    Ok(())
}

fn block_input(args: &BlockArgs) -> Result<BlockInput, Error> {
    Ok(BlockInput {
        domain: args.domain.clone(),
        severity: args.severity.parse()?,
        reject_media: args.reject_media,
        reject_reports: args.reject_reports,
        private_comment: args.private_comment.clone(),
        public_comment: args.public_comment.clone(),
        obfuscate: args.obfuscate,
    })
}

fn list(conn: &mut maillage_db::DbConnection) -> Result<(), CommandError> {
    println!("mode: {}", policy::mode(conn)?);
    let blocks = policy::list_blocks(conn)?;
    println!("blocks ({}):", blocks.len());
    for b in &blocks {
        let mut flags = Vec::new();
        for (set, name) in [
            (b.reject_media, "reject_media"),
            (b.reject_reports, "reject_reports"),
            (b.obfuscate, "obfuscate"),
        ] {
            if set {
                flags.push(name);
            }
        }
        println!("  {}\t{}\t{}\t{}", b.domain, b.severity, flags.join(","), b.public_comment);
    }
    let allows = policy::list_allows(conn)?;
    println!("allows ({}):", allows.len());
    for a in &allows {
        println!("  {}", a.domain);
    }
    let filters = policy::list_filters(conn)?;
    println!("content filters ({}):", filters.len());
    for f in &filters {
        println!("  {}\t{}\t{}\t{}\t{}", f.id, f.kind, f.value, f.domain.as_deref().unwrap_or("*"), f.action);
    }
    Ok(())
}

fn read_input(file: &Path) -> Result<String, CommandError> {
    let mut text = String::new();
    let read = if file == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map(drop)
    } else {
        std::fs::read_to_string(file).map(|t| text = t)
    };
    read.map_err(|e| CommandError::Other(format!("cannot read {}: {e}", file.display())))?;
    Ok(text)
}

/// Territory commands; `link` resolves the other territory over the
/// network, so these run on a small runtime with the federation context.
pub fn territory(config: &Config, pool: DbPool, cmd: TerritoryCommand) -> Result<(), CommandError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CommandError::Other(format!("cannot start a runtime: {e}")))?;
    runtime.block_on(territory_async(Arc::new(config.clone()), pool, cmd))
}

async fn territory_async(
    config: Arc<Config>,
    pool: DbPool,
    cmd: TerritoryCommand,
) -> Result<(), CommandError> {
    use maillage_service::links;
    let federation = maillage_apub::Federation::start(pool.clone(), config.clone()).await?;
    let outbound = federation.outbound();
    let urls = config.local_urls();
    let find = |input: String| {
        let pool = pool.clone();
        async move { pool.run(move |conn| links::find_named(conn, &input)).await }
    };
    match cmd {
        TerritoryCommand::Link { domain, level } => {
            let level = links::parse_level(&level)?;
            let partner = maillage_apub::resolve::resolve_territory(&federation.data(), &domain).await?;
            let name = partner.ap_id.clone();
            let row = pool.run(move |conn| links::propose(conn, &outbound, &urls, &partner, level)).await?;
            println!("link with {name}: {} ({})", row.state, row.level);
        }
        TerritoryCommand::Approve { domain } => {
            let link = find(domain).await?;
            let row = pool.run(move |conn| links::approve(conn, &outbound, &urls, &link.partner)).await?;
            println!("link {}: {}", row.id, row.state);
        }
        TerritoryCommand::Unlink { domain } => {
            let link = find(domain).await?;
            let row = pool.run(move |conn| links::end(conn, &outbound, &link.partner)).await?;
            println!("link {}: {}", row.id, row.state);
        }
        TerritoryCommand::List => {
            for l in pool.run(links::list).await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    l.partner.domain, l.row.state, l.row.level, l.partner.display_name
                );
            }
        }
    }
    Ok(())
}
