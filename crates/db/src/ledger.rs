//! The time-credit ledger: accounts, transfers of two movements each, and
//! the amounts reserved by cross-territory exchanges in progress.
//!
//! Invariant: a balance only changes in [`transfer`], by a conditional
//! update that checks its limit in the same statement (so two processes
//! can never both spend the last hour), together with the movement that
//! records it. Transfers and movements are append-only (database triggers).

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{ledger_accounts, ledger_movements, ledger_transfers};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = ledger_accounts)]
pub struct AccountRow {
    pub id: i64,
    pub owner_id: Option<i64>,
    pub peer_domain: Option<String>,
    pub lower_limit: i64,
    pub upper_limit: i64,
    pub balance: i64,
    pub held_out: i64,
    pub held_in: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = ledger_transfers)]
pub struct TransferRow {
    pub id: i64,
    pub from_account: i64,
    pub to_account: i64,
    pub minutes: i64,
    pub reason: String,
    pub memo: String,
    pub agreement_uri: Option<String>,
    pub recorded_by: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = ledger_movements)]
pub struct MovementRow {
    pub id: i64,
    pub transfer_id: i64,
    pub account_id: i64,
    pub minutes: i64,
    pub balance_after: i64,
    pub created_at: i64,
}

/// Who an account belongs to.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    /// A local person or group.
    Actor(Id),
    /// A linked territory: the running balance with it.
    Territory(&'a str),
}

fn find(conn: &mut DbConnection, holder: Holder<'_>) -> Result<Option<AccountRow>, Error> {
    let q = ledger_accounts::table.select(AccountRow::as_select()).into_boxed();
    let q = match holder {
        Holder::Actor(id) => q.filter(ledger_accounts::owner_id.eq(id.as_i64())),
        Holder::Territory(domain) => q.filter(ledger_accounts::peer_domain.eq(domain.to_owned())),
    };
    q.first(conn).optional().map_err(db_error)
}

pub fn find_account(conn: &mut DbConnection, holder: Holder<'_>) -> Result<Option<AccountRow>, Error> {
    find(conn, holder)
}

pub fn account_by_id(conn: &mut DbConnection, id: i64) -> Result<Option<AccountRow>, Error> {
    ledger_accounts::table.find(id).select(AccountRow::as_select()).first(conn).optional().map_err(db_error)
}

/// The holder's account, opened at zero with `limits` when it has none.
pub fn account(
    conn: &mut DbConnection,
    holder: Holder<'_>,
    limits: (i64, i64),
    now: Timestamp,
) -> Result<AccountRow, Error> {
    if let Some(found) = find(conn, holder)? {
        return Ok(found);
    }
    let (owner_id, peer_domain) = match holder {
        Holder::Actor(id) => (Some(id.as_i64()), None),
        Holder::Territory(d) => (None, Some(d.to_owned())),
    };
    let row = AccountRow {
        id: Id::generate_at(now).as_i64(),
        owner_id,
        peer_domain,
        lower_limit: limits.0,
        upper_limit: limits.1,
        balance: 0,
        held_out: 0,
        held_in: 0,
        created_at: now.as_micros(),
    };
    crate::insert_or_ignore!(conn, ledger_accounts::table, &row)?;
    find(conn, holder)?.ok_or_else(|| Error::internal("ledger account vanished"))
}

pub fn set_limits(conn: &mut DbConnection, account: i64, lower: i64, upper: i64) -> Result<(), Error> {
    diesel::update(ledger_accounts::table.find(account))
        .set((ledger_accounts::lower_limit.eq(lower), ledger_accounts::upper_limit.eq(upper)))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

/// Moves `minutes` out of (`delta` < 0) or into an account, within its
/// limits unless `reserved` (the amount was held earlier, and is released
/// now). Returns the new balance, or `None` when a limit refuses it.
fn apply_delta(
    conn: &mut DbConnection,
    account: i64,
    delta: i64,
    reserved: bool,
) -> Result<Option<i64>, Error> {
    use ledger_accounts::dsl as a;
    let target = a::ledger_accounts.find(account);
    let moved = match (delta < 0, reserved) {
        (true, false) => diesel::update(target.filter((a::balance - a::held_out + delta).ge(a::lower_limit)))
            .set(a::balance.eq(a::balance + delta))
            .execute(conn),
        (false, false) => diesel::update(target.filter((a::balance + a::held_in + delta).le(a::upper_limit)))
            .set(a::balance.eq(a::balance + delta))
            .execute(conn),
        (true, true) => diesel::update(target)
            .set((a::balance.eq(a::balance + delta), a::held_out.eq(a::held_out + delta)))
            .execute(conn),
        (false, true) => diesel::update(target)
            .set((a::balance.eq(a::balance + delta), a::held_in.eq(a::held_in - delta)))
            .execute(conn),
    }
    .map_err(db_error)?;
    if moved == 0 {
        return Ok(None);
    }
    Ok(account_by_id(conn, account)?.map(|a| a.balance))
}

/// What a transfer is for.
#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub from: i64,
    pub to: i64,
    pub minutes: i64,
    pub reason: &'static str,
    pub memo: String,
    pub agreement_uri: Option<String>,
    pub recorded_by: i64,
    /// The amount was reserved on both accounts by [`hold`].
    pub reserved: bool,
}

/// Why a transfer did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The account named would go past one of its limits.
    Limit(i64),
    /// The agreement has been settled already.
    AlreadySettled,
}

/// Records a transfer and its two movements. Run it inside a write
/// transaction: on a refusal the caller's transaction must roll back
/// (the debit may have been applied before the credit was refused).
pub fn transfer(
    conn: &mut DbConnection,
    t: &NewTransfer,
    now: Timestamp,
) -> Result<Result<TransferRow, Refusal>, Error> {
    if let Some(uri) = &t.agreement_uri {
        let settled: i64 = ledger_transfers::table
            .filter(ledger_transfers::agreement_uri.eq(uri))
            .count()
            .get_result(conn)
            .map_err(db_error)?;
        if settled > 0 {
            return Ok(Err(Refusal::AlreadySettled));
        }
    }
    let Some(from_after) = apply_delta(conn, t.from, -t.minutes, t.reserved)? else {
        return Ok(Err(Refusal::Limit(t.from)));
    };
    let Some(to_after) = apply_delta(conn, t.to, t.minutes, t.reserved)? else {
        return Ok(Err(Refusal::Limit(t.to)));
    };
    let row = TransferRow {
        id: Id::generate_at(now).as_i64(),
        from_account: t.from,
        to_account: t.to,
        minutes: t.minutes,
        reason: t.reason.to_owned(),
        memo: t.memo.clone(),
        agreement_uri: t.agreement_uri.clone(),
        recorded_by: t.recorded_by,
        created_at: now.as_micros(),
    };
    diesel::insert_into(ledger_transfers::table).values(&row).execute(conn).map_err(db_error)?;
    let movements = [
        MovementRow {
            id: Id::generate_at(now).as_i64(),
            transfer_id: row.id,
            account_id: t.from,
            minutes: -t.minutes,
            balance_after: from_after,
            created_at: now.as_micros(),
        },
        MovementRow {
            id: Id::generate_at(now).as_i64(),
            transfer_id: row.id,
            account_id: t.to,
            minutes: t.minutes,
            balance_after: to_after,
            created_at: now.as_micros(),
        },
    ];
    crate::batch_insert!(conn, ledger_movements::table, &movements[..])?;
    Ok(Ok(row))
}

/// Reserves `minutes` leaving `from` and arriving at `to`, within their
/// limits; `Err(account)` names the account that refused.
pub fn hold(conn: &mut DbConnection, from: i64, to: i64, minutes: i64) -> Result<Result<(), i64>, Error> {
    use ledger_accounts::dsl as a;
    let out = diesel::update(
        a::ledger_accounts.find(from).filter((a::balance - a::held_out - minutes).ge(a::lower_limit)),
    )
    .set(a::held_out.eq(a::held_out + minutes))
    .execute(conn)
    .map_err(db_error)?;
    if out == 0 {
        return Ok(Err(from));
    }
    let into = diesel::update(
        a::ledger_accounts.find(to).filter((a::balance + a::held_in + minutes).le(a::upper_limit)),
    )
    .set(a::held_in.eq(a::held_in + minutes))
    .execute(conn)
    .map_err(db_error)?;
    if into == 0 {
        return Ok(Err(to));
    }
    Ok(Ok(()))
}

/// An account's movements, newest first, with their transfers.
pub fn movements_of(
    conn: &mut DbConnection,
    account: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<(MovementRow, TransferRow)>, Error> {
    let mut q = ledger_movements::table
        .inner_join(ledger_transfers::table.on(ledger_transfers::id.eq(ledger_movements::transfer_id)))
        .filter(ledger_movements::account_id.eq(account))
        .select((MovementRow::as_select(), TransferRow::as_select()))
        .order(ledger_movements::id.desc())
        .limit(limit.clamp(1, 200))
        .into_boxed();
    if let Some(before) = before {
        q = q.filter(ledger_movements::id.lt(before));
    }
    q.load(conn).map_err(db_error)
}

pub fn transfer_for_agreement(conn: &mut DbConnection, uri: &str) -> Result<Option<TransferRow>, Error> {
    ledger_transfers::table
        .filter(ledger_transfers::agreement_uri.eq(uri))
        .select(TransferRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn all_accounts(conn: &mut DbConnection) -> Result<Vec<AccountRow>, Error> {
    ledger_accounts::table
        .select(AccountRow::as_select())
        .order(ledger_accounts::id)
        .load(conn)
        .map_err(db_error)
}

/// Per account, the sum of its movements.
pub fn movement_sums(conn: &mut DbConnection) -> Result<Vec<(i64, i64)>, Error> {
    use diesel::dsl::sql;
    use diesel::sql_types::BigInt;
    // SUM of BIGINT is NUMERIC on PostgreSQL: cast back, on both backends.
    ledger_movements::table
        .group_by(ledger_movements::account_id)
        .select((ledger_movements::account_id, sql::<BigInt>("CAST(COALESCE(SUM(minutes), 0) AS BIGINT)")))
        .load(conn)
        .map_err(db_error)
}

/// A transfer's movements as `(account, minutes)`.
pub type Entries = Vec<(i64, i64)>;

/// Every transfer with its movements as `(account, minutes)`, in batches
/// after `after` (by transfer id).
pub fn transfers_with_movements(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<(TransferRow, Entries)>, Error> {
    let transfers: Vec<TransferRow> = ledger_transfers::table
        .filter(ledger_transfers::id.gt(after))
        .order(ledger_transfers::id)
        .limit(limit)
        .select(TransferRow::as_select())
        .load(conn)
        .map_err(db_error)?;
    let ids: Vec<i64> = transfers.iter().map(|t| t.id).collect();
    let moves: Vec<(i64, i64, i64)> = ledger_movements::table
        .filter(ledger_movements::transfer_id.eq_any(&ids))
        .select((ledger_movements::transfer_id, ledger_movements::account_id, ledger_movements::minutes))
        .load(conn)
        .map_err(db_error)?;
    let mut by_transfer: std::collections::HashMap<i64, Vec<(i64, i64)>> = std::collections::HashMap::new();
    for (t, a, m) in moves {
        by_transfer.entry(t).or_default().push((a, m));
    }
    Ok(transfers
        .into_iter()
        .map(|t| {
            let m = by_transfer.remove(&t.id).unwrap_or_default();
            (t, m)
        })
        .collect())
}

/// Minutes moved for each agreement settled from `since`, by agreement id.
pub fn settled_since(conn: &mut DbConnection, since: i64) -> Result<Vec<(String, i64)>, Error> {
    let rows: Vec<(Option<String>, i64)> = ledger_transfers::table
        .filter(ledger_transfers::reason.eq("agreement"))
        .filter(ledger_transfers::created_at.ge(since))
        .select((ledger_transfers::agreement_uri, ledger_transfers::minutes))
        .load(conn)
        .map_err(db_error)?;
    Ok(rows.into_iter().filter_map(|(uri, m)| uri.map(|u| (u, m))).collect())
}
