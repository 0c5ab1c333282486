//! Reading a time-credit account and the limits admins set on accounts.

use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::ledger::{self, AccountRow, Holder, MovementRow, TransferRow};
use maillage_db::{transaction, DbConnection};

use super::{account_of_actor, account_of_territory, Limits};

/// An account's movements with their transfers, newest first, older than
/// `before` when given.
pub fn movements(
    conn: &mut DbConnection,
    account: &AccountRow,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<(MovementRow, TransferRow)>, Error> {
    ledger::movements_of(conn, account.id, before, limit)
}

/// Sets the limits (minutes) of local person `actor`'s account; 404 when
/// `actor` is not a local person.
pub fn set_person_limits(
    conn: &mut DbConnection,
    actor: Id,
    lower: i64,
    upper: i64,
    limits: Limits,
) -> Result<AccountRow, Error> {
    transaction::write(conn, |conn| {
        maillage_db::actors::find_by_id(conn, actor)?
            .filter(|a| a.local && a.purpose.is_none())
            .ok_or_else(|| Error::not_found("Record not found"))?;
        let account = account_of_actor(conn, actor, limits)?;
        ledger::set_limits(conn, account.id, lower, upper)?;
        ledger::find_account(conn, Holder::Actor(actor))?.ok_or_else(|| Error::internal("account vanished"))
    })
}

/// Sets how far (minutes, both ways) the balance with linked territory
/// `domain` may go.
pub fn set_link_limit(
    conn: &mut DbConnection,
    domain: &str,
    limit: i64,
    limits: Limits,
) -> Result<AccountRow, Error> {
    transaction::write(conn, |conn| {
        let account = account_of_territory(conn, domain, limits)?;
        ledger::set_limits(conn, account.id, -limit, limit)?;
        ledger::account_by_id(conn, account.id)?.ok_or_else(|| Error::internal("account vanished"))
    })
}
