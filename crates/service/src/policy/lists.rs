//! Blocklists as Mastodon CSV files, and content filters.

use maillage_core::id::Id;
use maillage_core::policy::{
    blocklist_csv, ContentFilter, DomainBlock, DomainPattern, FilterAction, FilterKind,
};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::policies::{self, ContentFilterRow};
use maillage_db::{transaction, DbConnection};

use super::{block_from_row, enforce, write_block, BlockInput};

/// Mastodon's CSV of every block.
pub fn export_blocks(conn: &mut DbConnection) -> Result<String, Error> {
    let blocks: Vec<DomainBlock> =
        policies::blocks(conn)?.iter().map(block_from_row).collect::<Result<_, _>>()?;
    blocklist_csv::export(&blocks)
}

/// Imports a Mastodon CSV: every line is checked before anything is
/// written, and all of it is applied in one transaction, or none.
pub fn import_blocks(conn: &mut DbConnection, local_domain: &str, csv: &str) -> Result<usize, Error> {
    let blocks = blocklist_csv::parse(csv)?;
    let mut problems = Vec::new();
    for b in &blocks {
        if b.pattern.covers(local_domain) {
            problems.push(format!("{} covers this node's own domain", b.pattern));
        }
    }
    if !problems.is_empty() {
        return Err(Error::unprocessable(format!("the blocklist was not imported: {}", problems.join("; "))));
    }
    transaction::write(conn, |conn| {
        let now = Timestamp::now();
        for b in &blocks {
            let input = BlockInput {
                domain: b.pattern.to_string(),
                severity: b.severity,
                reject_media: b.reject_media,
                reject_reports: b.reject_reports,
                private_comment: String::new(),
                public_comment: b.public_comment.clone(),
                obfuscate: b.obfuscate,
            };
            let existing = policies::find_block_by_domain(conn, b.pattern.as_str())?;
            write_block(conn, &b.pattern, &input, existing, now)?;
        }
        policies::bump_policy_version(conn, now)?;
        let patterns: Vec<DomainPattern> = blocks.iter().map(|b| b.pattern.clone()).collect();
        enforce(conn, &patterns)?;
        Ok(blocks.len())
    })
}

pub fn list_filters(conn: &mut DbConnection) -> Result<Vec<ContentFilterRow>, Error> {
    policies::filters(conn)
}

pub fn add_filter(
    conn: &mut DbConnection,
    kind: FilterKind,
    value: &str,
    domain: Option<&str>,
    action: FilterAction,
) -> Result<ContentFilterRow, Error> {
    let domain = domain.map(DomainPattern::parse).transpose()?;
    let now = Timestamp::now();
    let filter = ContentFilter {
        id: Id::generate_at(now).as_i64(),
        kind,
        value: value.trim().to_owned(),
        domain,
        action,
    };
    filter.validate()?;
    let row = ContentFilterRow {
        id: filter.id,
        kind: kind.as_str().to_owned(),
        value: filter.value.clone(),
        domain: filter.domain.map(|d| d.to_string()),
        action: action.as_str().to_owned(),
        created_at: now.as_micros(),
    };
    transaction::write(conn, |conn| {
        policies::insert_filter(conn, &row)?;
        policies::bump_policy_version(conn, now)?;
        Ok(row.clone())
    })
}

pub fn remove_filter(conn: &mut DbConnection, id: i64) -> Result<(), Error> {
    transaction::write(conn, |conn| {
        if !policies::delete_filter(conn, id)? {
            return Err(Error::not_found(format!("no filter {id}")));
        }
        policies::bump_policy_version(conn, Timestamp::now())?;
        Ok(())
    })
}
