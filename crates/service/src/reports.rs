//! Reports: people of this node report a listing, a post or an account to
//! its admins; other servers' reports arrive as `Flag` (see the inbox).
//! Admins list them and mark them resolved.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::interactions::{self, ReportRow};
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;

pub const COMMENT_MAX: usize = 1000;

/// A report with who made it and whom it is about.
pub struct Report {
    pub row: ReportRow,
    pub reporter: Option<ActorRow>,
    pub target: Option<ActorRow>,
    /// The reported objects' URIs.
    pub objects: Vec<String>,
}

/// `user` reports `target` (an account), about `objects` (URIs of its
/// listings or posts), with a comment for the admins.
pub fn report(
    conn: &mut DbConnection,
    user: &User,
    target: Id,
    objects: &[String],
    comment: &str,
) -> Result<ReportRow, Error> {
    if comment.chars().count() > COMMENT_MAX {
        return Err(Error::unprocessable(format!(
            "Validation failed: comment: must be at most {COMMENT_MAX} characters"
        )));
    }
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let target = actors::find_by_id(conn, target)?.ok_or_else(|| Error::not_found("Record not found"))?;
        if target.id == me.id {
            return Err(Error::unprocessable("Validation failed: account_id: you cannot report yourself"));
        }
        let now = Timestamp::now();
        let row = ReportRow {
            id: Id::generate_at(now).as_i64(),
            ap_id: None,
            reporter_id: me.id,
            target_actor_id: Some(target.id),
            object_ids_json: serde_json::to_string(objects).unwrap_or_else(|_| "[]".into()),
            comment: comment.trim().to_owned(),
            created_at: now.as_micros(),
            resolved_at: None,
        };
        interactions::insert_report(conn, &row)?;
        crate::notices::tell_admins(conn, &me)?;
        Ok(row)
    })
}

/// The newest reports; resolved ones too when asked.
pub fn list(conn: &mut DbConnection, include_resolved: bool) -> Result<Vec<Report>, Error> {
    let mut out = Vec::new();
    for row in interactions::list_reports(conn, 200)? {
        if row.resolved_at.is_some() && !include_resolved {
            continue;
        }
        let reporter = actors::find_by_id(conn, Id::from_i64(row.reporter_id))?;
        let target = match row.target_actor_id {
            Some(t) => actors::find_by_id(conn, Id::from_i64(t))?,
            None => None,
        };
        let objects = serde_json::from_str(&row.object_ids_json).unwrap_or_default();
        out.push(Report { row, reporter, target, objects });
    }
    Ok(out)
}

pub fn resolve(conn: &mut DbConnection, id: Id) -> Result<(), Error> {
    if interactions::resolve_report(conn, id.as_i64(), Timestamp::now().as_micros())? {
        Ok(())
    } else {
        Err(Error::not_found("Record not found: no such open report"))
    }
}
