//! Federation policies: the shared snapshot every request reads
//! ([`PolicyHandle`], in `snapshot`) and the admin use cases that change
//! them (mode, domain blocks and allows here; CSV and content filters in
//! `lists`). Each change bumps the policy version in the same transaction;
//! every process sharing the database reloads its snapshot when it sees a
//! new version.

mod lists;
mod snapshot;

use maillage_core::id::Id;
use maillage_core::policy::{ContentFilter, DomainBlock, DomainPattern, FederationMode, Severity};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::policies::{self, ContentFilterRow, DomainAllowRow, DomainBlockRow, FEDERATION_MODE};
use maillage_db::{transaction, DbConnection};

pub use lists::{add_filter, export_blocks, import_blocks, list_filters, remove_filter};
use snapshot::read_policy;
pub use snapshot::{hidden_remote_authors, PolicyHandle};

pub fn block_from_row(row: &DomainBlockRow) -> Result<DomainBlock, Error> {
    Ok(DomainBlock {
        pattern: DomainPattern::parse(&row.domain)?,
        severity: row.severity.parse()?,
        reject_media: row.reject_media,
        reject_reports: row.reject_reports,
        private_comment: row.private_comment.clone(),
        public_comment: row.public_comment.clone(),
        obfuscate: row.obfuscate,
    })
}

pub fn filter_from_row(row: &ContentFilterRow) -> Option<ContentFilter> {
    Some(ContentFilter {
        id: row.id,
        kind: row.kind.parse().ok()?,
        value: row.value.clone(),
        domain: row.domain.as_deref().and_then(|d| DomainPattern::parse(d).ok()),
        action: row.action.parse().ok()?,
    })
}

pub fn mode(conn: &mut DbConnection) -> Result<FederationMode, Error> {
    Ok(policies::setting(conn, FEDERATION_MODE)?.and_then(|m| m.parse().ok()).unwrap_or_default())
}

pub fn set_mode(conn: &mut DbConnection, mode: FederationMode) -> Result<(), Error> {
    transaction::write(conn, |conn| {
        let now = Timestamp::now();
        policies::set_setting(conn, FEDERATION_MODE, mode.as_str(), now)?;
        policies::bump_policy_version(conn, now)?;
        Ok(())
    })
}

/// A block as an admin submits it (API, CLI or CSV).
#[derive(Debug, Clone)]
pub struct BlockInput {
    pub domain: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_comment: String,
    pub public_comment: String,
    pub obfuscate: bool,
}

impl BlockInput {
    pub fn suspend(domain: &str) -> BlockInput {
        BlockInput {
            domain: domain.to_owned(),
            severity: Severity::Suspend,
            reject_media: false,
            reject_reports: false,
            private_comment: String::new(),
            public_comment: String::new(),
            obfuscate: false,
        }
    }
}

fn checked_pattern(domain: &str, local_domain: &str) -> Result<DomainPattern, Error> {
    let pattern = DomainPattern::parse(domain)?;
    if pattern.covers(local_domain) {
        return Err(Error::unprocessable(format!("{pattern} covers this node's own domain")));
    }
    Ok(pattern)
}

/// Creates a block, or updates the block of the same domain (`created` is
/// false then). A suspension takes effect at once: follows both ways and
/// everything cached from the domain are removed.
pub fn upsert_block(
    conn: &mut DbConnection,
    local_domain: &str,
    input: &BlockInput,
) -> Result<(DomainBlockRow, bool), Error> {
    let pattern = checked_pattern(&input.domain, local_domain)?;
    transaction::write(conn, |conn| {
        let now = Timestamp::now();
        let existing = policies::find_block_by_domain(conn, pattern.as_str())?;
        let created = existing.is_none();
        let row = write_block(conn, &pattern, input, existing, now)?;
        policies::bump_policy_version(conn, now)?;
        enforce(conn, std::slice::from_ref(&pattern))?;
        Ok((row, created))
    })
}

fn write_block(
    conn: &mut DbConnection,
    pattern: &DomainPattern,
    input: &BlockInput,
    existing: Option<DomainBlockRow>,
    now: Timestamp,
) -> Result<DomainBlockRow, Error> {
    let row = DomainBlockRow {
        id: existing.as_ref().map(|e| e.id).unwrap_or_else(|| Id::generate_at(now).as_i64()),
        domain: pattern.to_string(),
        severity: input.severity.as_str().to_owned(),
        reject_media: input.reject_media,
        reject_reports: input.reject_reports,
        private_comment: input.private_comment.chars().take(1000).collect(),
        public_comment: input.public_comment.chars().take(1000).collect(),
        obfuscate: input.obfuscate,
        created_at: existing.as_ref().map(|e| e.created_at).unwrap_or(now.as_micros()),
        updated_at: now.as_micros(),
    };
    if existing.is_some() {
        policies::update_block(conn, &row)?;
    } else {
        policies::insert_block(conn, &row)?;
    }
    Ok(row)
}

/// Applies the policy as it now stands to what is stored under
/// `patterns`: actors of refused domains go (with their follows both ways
/// and their content), and so does what was queued for them. One read of
/// the policy and one pass over the stored domains, however many patterns
/// (a whole imported blocklist).
fn enforce(conn: &mut DbConnection, patterns: &[DomainPattern]) -> Result<(), Error> {
    let (_, policy) = read_policy(conn, (0.0, 0.0), "")?;
    let under: std::collections::HashSet<&DomainPattern> = patterns.iter().collect();
    let refused = |host: &str| {
        maillage_core::policy::patterns_covering(host).any(|p| under.contains(&p))
            && !policy.federates_with(host)
    };
    let stored = policies::remote_domains(conn)?;
    let now = Timestamp::now().as_micros();
    // Copies of a domain's media that the policy now rejects go with the
    // next sweep; a suspended domain's media go altogether.
    let rejecting: Vec<String> = stored
        .iter()
        .filter(|d| maillage_core::policy::patterns_covering(d).any(|p| under.contains(&p)))
        .filter(|d| policy.rule_for(d).reject_media)
        .cloned()
        .collect();
    maillage_db::media::let_go_of_domains(conn, &rejecting, false, now)?;
    let domains: Vec<String> = stored.into_iter().filter(|d| refused(d)).collect();
    maillage_db::media::let_go_of_domains(conn, &domains, true, now)?;
    policies::delete_remote_actors_of(conn, &domains)?;
    let hosts: Vec<String> =
        policies::pending_delivery_hosts(conn)?.into_iter().filter(|h| refused(h)).collect();
    policies::drop_pending_deliveries_to(conn, &hosts)?;
    Ok(())
}

pub fn list_blocks(conn: &mut DbConnection) -> Result<Vec<DomainBlockRow>, Error> {
    policies::blocks(conn)
}

/// The block of exactly `domain` (as typed, normalised), if any.
pub fn find_block_by_domain(conn: &mut DbConnection, domain: &str) -> Result<Option<DomainBlockRow>, Error> {
    let pattern = DomainPattern::parse(domain)?;
    policies::find_block_by_domain(conn, pattern.as_str())
}

pub fn get_block(conn: &mut DbConnection, id: i64) -> Result<DomainBlockRow, Error> {
    policies::find_block(conn, id)?.ok_or_else(|| Error::not_found("Record not found"))
}

/// Changes a block by id; the domain itself cannot change.
pub fn update_block(
    conn: &mut DbConnection,
    id: i64,
    change: &dyn Fn(&mut BlockInput),
) -> Result<DomainBlockRow, Error> {
    transaction::write(conn, |conn| {
        let existing = get_block(conn, id)?;
        let block = block_from_row(&existing)?;
        let mut input = BlockInput {
            domain: existing.domain.clone(),
            severity: block.severity,
            reject_media: block.reject_media,
            reject_reports: block.reject_reports,
            private_comment: block.private_comment,
            public_comment: block.public_comment,
            obfuscate: block.obfuscate,
        };
        change(&mut input);
        let now = Timestamp::now();
        let row = write_block(conn, &block.pattern, &input, Some(existing), now)?;
        policies::bump_policy_version(conn, now)?;
        enforce(conn, std::slice::from_ref(&block.pattern))?;
        Ok(row)
    })
}

pub fn delete_block(conn: &mut DbConnection, id: i64) -> Result<DomainBlockRow, Error> {
    transaction::write(conn, |conn| {
        let row = get_block(conn, id)?;
        policies::delete_block(conn, id)?;
        policies::bump_policy_version(conn, Timestamp::now())?;
        Ok(row)
    })
}

/// Removes the block of `domain`, as typed.
pub fn unblock_domain(conn: &mut DbConnection, domain: &str) -> Result<DomainBlockRow, Error> {
    let pattern = DomainPattern::parse(domain)?;
    let row = policies::find_block_by_domain(conn, pattern.as_str())?
        .ok_or_else(|| Error::not_found(format!("{pattern} is not blocked")))?;
    delete_block(conn, row.id)
}

pub fn list_allows(conn: &mut DbConnection) -> Result<Vec<DomainAllowRow>, Error> {
    policies::allows(conn)
}

pub fn get_allow(conn: &mut DbConnection, id: i64) -> Result<DomainAllowRow, Error> {
    policies::find_allow(conn, id)?.ok_or_else(|| Error::not_found("Record not found"))
}

/// Allows a domain; allowing it again returns the existing allow.
pub fn allow(conn: &mut DbConnection, domain: &str) -> Result<DomainAllowRow, Error> {
    let pattern = DomainPattern::parse(domain)?;
    transaction::write(conn, |conn| {
        if let Some(existing) = policies::find_allow_by_domain(conn, pattern.as_str())? {
            return Ok(existing);
        }
        let now = Timestamp::now();
        let row = DomainAllowRow {
            id: Id::generate_at(now).as_i64(),
            domain: pattern.to_string(),
            created_at: now.as_micros(),
        };
        policies::insert_allow(conn, &row)?;
        policies::bump_policy_version(conn, now)?;
        Ok(row)
    })
}

pub fn delete_allow(conn: &mut DbConnection, id: i64) -> Result<DomainAllowRow, Error> {
    transaction::write(conn, |conn| {
        let row = get_allow(conn, id)?;
        policies::delete_allow(conn, id)?;
        policies::bump_policy_version(conn, Timestamp::now())?;
        Ok(row)
    })
}

/// Removes the allow of `domain`, as typed.
pub fn disallow_domain(conn: &mut DbConnection, domain: &str) -> Result<DomainAllowRow, Error> {
    let pattern = DomainPattern::parse(domain)?;
    let row = policies::find_allow_by_domain(conn, pattern.as_str())?
        .ok_or_else(|| Error::not_found(format!("{pattern} is not allowed")))?;
    delete_allow(conn, row.id)
}
