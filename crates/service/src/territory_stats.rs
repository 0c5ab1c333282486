//! The territory's dashboard: exchanges and hours per month, by category
//! and form of work; how many exchanges stayed inside the territory and
//! how many went to each linked territory; the balances with them.

use std::collections::{BTreeMap, HashMap};

use maillage_core::ledger::hours_of_minutes;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::{agreements, contributions, ledger, DbConnection};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub exchanges: i64,
    pub minutes: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Month {
    pub exchanges: i64,
    pub minutes: i64,
    pub by_category: BTreeMap<String, Tally>,
    /// Minutes by form of work: contributions' forms, and time-credit
    /// exchanges as `exchange`.
    pub by_form: BTreeMap<String, i64>,
}

#[derive(Debug, Clone)]
pub struct Balance {
    pub domain: String,
    pub minutes: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Default)]
pub struct TerritoryStats {
    pub months: BTreeMap<String, Month>,
    pub exchanges: i64,
    pub inside: i64,
    /// Exchanges with people of each other territory.
    pub with: BTreeMap<String, i64>,
    pub balances: Vec<Balance>,
}

fn month_of(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339().chars().take(7).collect()
}

/// Figures from `since` on.
pub fn stats(conn: &mut DbConnection, since: Timestamp) -> Result<TerritoryStats, Error> {
    let since = since.as_micros();
    let settled: HashMap<String, i64> = ledger::settled_since(conn, since)?.into_iter().collect();
    let mut out = TerritoryStats::default();
    for f in agreements::fulfilled_since(conn, since)? {
        let minutes = settled.get(&f.agreement.ap_id).copied().unwrap_or(0);
        let month = out.months.entry(month_of(f.agreement.updated_at)).or_default();
        month.exchanges += 1;
        month.minutes += minutes;
        let cat = month.by_category.entry(f.category.to_string()).or_default();
        cat.exchanges += 1;
        cat.minutes += minutes;
        if minutes > 0 {
            *month.by_form.entry("exchange".into()).or_default() += minutes;
        }
        out.exchanges += 1;
        match f.remote_domain {
            None => out.inside += 1,
            Some(d) => *out.with.entry(d).or_default() += 1,
        }
    }
    for c in contributions::confirmed_since(conn, since)? {
        let month = out.months.entry(month_of(c.worked_on)).or_default();
        month.minutes += c.minutes;
        *month.by_form.entry(c.form.clone()).or_default() += c.minutes;
    }
    out.balances = ledger::all_accounts(conn)?
        .into_iter()
        .filter_map(|a| {
            a.peer_domain.map(|domain| Balance { domain, minutes: a.balance, limit: a.upper_limit })
        })
        .collect();
    Ok(out)
}

/// The same figures as CSV rows: `month,dimension,key,exchanges,hours`.
pub fn to_csv(s: &TerritoryStats) -> String {
    let mut out = String::from("month,dimension,key,exchanges,hours\n");
    let hours = |m: i64| format!("{:.2}", hours_of_minutes(m));
    for (month, m) in &s.months {
        out.push_str(&format!("{month},total,all,{},{}\n", m.exchanges, hours(m.minutes)));
        for (cat, t) in &m.by_category {
            out.push_str(&format!("{month},category,{cat},{},{}\n", t.exchanges, hours(t.minutes)));
        }
        for (form, minutes) in &m.by_form {
            out.push_str(&format!("{month},form,{form},,{}\n", hours(*minutes)));
        }
    }
    out.push_str(&format!("all,territory,inside,{},\n", s.inside));
    for (domain, n) in &s.with {
        // Domains never hold commas or quotes; kept as they are.
        out.push_str(&format!("all,territory,{domain},{n},\n"));
    }
    for b in &s.balances {
        out.push_str(&format!("all,balance,{},,{}\n", b.domain, hours(b.minutes)));
    }
    out
}

/// What the Mastodon instance document counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeCounts {
    /// Active local accounts.
    pub users: i64,
    /// Local posts.
    pub statuses: i64,
    /// Other servers known.
    pub domains: i64,
}

pub fn node_counts(conn: &mut DbConnection) -> Result<NodeCounts, Error> {
    use maillage_core::account::AccountState;
    use maillage_db::{instances, posts, users};
    Ok(NodeCounts {
        users: users::count_by_state(conn, AccountState::Active)?,
        statuses: posts::count_local(conn)?,
        domains: instances::count(conn)?,
    })
}
