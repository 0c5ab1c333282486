//! What the time-credit endpoints answer, typed so that their schemas are
//! in the OpenAPI document and a field left out fails to compile. Hours are
//! decimal (minutes / 60); ids are strings, as everywhere in the API.

use std::collections::BTreeMap;

use maillage_core::ledger::hours_of_minutes;
use maillage_core::time::Timestamp;
use maillage_db::ledger::{AccountRow, MovementRow, TransferRow};
use maillage_service::territory_stats::TerritoryStats;
use serde::Serialize;
use utoipa::ToSchema;

use crate::agreements::AgreementJson;

/// One transfer of hours between two accounts.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Transfer)]
pub struct TransferJson {
    pub id: String,
    pub hours: f64,
    /// `agreement` (an exchange fulfilled) or `correction` (an admin's).
    pub reason: String,
    pub memo: String,
    /// The agreement it settles, if any.
    pub agreement: Option<String>,
    pub created_at: String,
}

impl From<&TransferRow> for TransferJson {
    fn from(t: &TransferRow) -> TransferJson {
        TransferJson {
            id: t.id.to_string(),
            hours: hours_of_minutes(t.minutes),
            reason: t.reason.clone(),
            memo: t.memo.clone(),
            agreement: t.agreement_uri.clone(),
            created_at: Timestamp::from_micros(t.created_at).to_rfc3339(),
        }
    }
}

/// A time-credit account: a person's, a group's or a linked territory's.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = LedgerAccount)]
pub struct LedgerAccountJson {
    pub id: String,
    pub balance_hours: f64,
    pub lower_limit_hours: f64,
    pub upper_limit_hours: f64,
    /// Hours reserved to leave, once the other side confirms.
    pub reserved_out_hours: f64,
    /// Hours reserved to arrive, once the other side confirms.
    pub reserved_in_hours: f64,
}

impl From<&AccountRow> for LedgerAccountJson {
    fn from(a: &AccountRow) -> LedgerAccountJson {
        LedgerAccountJson {
            id: a.id.to_string(),
            balance_hours: hours_of_minutes(a.balance),
            lower_limit_hours: hours_of_minutes(a.lower_limit),
            upper_limit_hours: hours_of_minutes(a.upper_limit),
            reserved_out_hours: hours_of_minutes(a.held_out),
            reserved_in_hours: hours_of_minutes(a.held_in),
        }
    }
}

/// One line of an account's statement.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Movement)]
pub struct MovementJson {
    pub id: String,
    /// Positive in, negative out.
    pub hours: f64,
    pub balance_after_hours: f64,
    pub transfer: TransferJson,
}

impl MovementJson {
    pub fn of(m: &MovementRow, t: &TransferRow) -> MovementJson {
        MovementJson {
            id: m.id.to_string(),
            hours: hours_of_minutes(m.minutes),
            balance_after_hours: hours_of_minutes(m.balance_after),
            transfer: t.into(),
        }
    }
}

/// The caller's account with its latest movements.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = LedgerStatement)]
pub struct StatementJson {
    #[serde(flatten)]
    pub account: LedgerAccountJson,
    pub movements: Vec<MovementJson>,
}

/// An agreement after one party confirmed it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = ConfirmedAgreement)]
pub struct ConfirmedJson {
    #[serde(flatten)]
    pub agreement: AgreementJson,
    /// The hours the exchange is worth.
    pub hours: f64,
    /// Null until both parties confirmed.
    pub transfer: Option<TransferJson>,
}

/// Exchanges and hours of one category in a month.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = CategoryTally)]
pub struct TallyJson {
    pub exchanges: i64,
    pub hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = StatsMonth)]
pub struct MonthJson {
    /// `YYYY-MM`.
    pub month: String,
    pub exchanges: i64,
    pub hours: f64,
    pub by_category: BTreeMap<String, TallyJson>,
    /// Hours per form of work.
    pub by_form: BTreeMap<String, f64>,
}

/// Exchanges with the people of one linked territory.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = TerritoryShare)]
pub struct ShareJson {
    pub domain: String,
    pub exchanges: i64,
    /// Of all exchanges, from 0 to 1.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = ExchangeCounts)]
pub struct ExchangesJson {
    pub total: i64,
    /// Between people of this territory.
    pub inside: i64,
    pub inside_share: f64,
    pub with: Vec<ShareJson>,
}

/// The running balance with a linked territory.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = TerritoryBalance)]
pub struct BalanceJson {
    pub domain: String,
    pub balance_hours: f64,
    pub limit_hours: f64,
}

/// The territory's dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = TerritoryStats)]
pub struct StatsJson {
    pub territory: String,
    pub months: Vec<MonthJson>,
    pub exchanges: ExchangesJson,
    pub balances: Vec<BalanceJson>,
}

impl StatsJson {
    pub fn of(s: &TerritoryStats, territory: &str) -> StatsJson {
        let share = |n: i64| if s.exchanges == 0 { 0.0 } else { n as f64 / s.exchanges as f64 };
        StatsJson {
            territory: territory.to_owned(),
            months: s
                .months
                .iter()
                .map(|(month, m)| MonthJson {
                    month: month.clone(),
                    exchanges: m.exchanges,
                    hours: hours_of_minutes(m.minutes),
                    by_category: m
                        .by_category
                        .iter()
                        .map(|(k, t)| {
                            (
                                k.clone(),
                                TallyJson { exchanges: t.exchanges, hours: hours_of_minutes(t.minutes) },
                            )
                        })
                        .collect(),
                    by_form: m.by_form.iter().map(|(k, v)| (k.clone(), hours_of_minutes(*v))).collect(),
                })
                .collect(),
            exchanges: ExchangesJson {
                total: s.exchanges,
                inside: s.inside,
                inside_share: share(s.inside),
                with: s
                    .with
                    .iter()
                    .map(|(d, n)| ShareJson { domain: d.clone(), exchanges: *n, share: share(*n) })
                    .collect(),
            },
            balances: s
                .balances
                .iter()
                .map(|b| BalanceJson {
                    domain: b.domain.clone(),
                    balance_hours: hours_of_minutes(b.minutes),
                    limit_hours: hours_of_minutes(b.limit),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use maillage_service::territory_stats::{Balance, Month, Tally};
    use serde_json::json;

    use super::*;

    #[test]
    fn the_dashboard_keeps_its_shape() {
        let mut month = Month { exchanges: 2, minutes: 150, ..Month::default() };
        month.by_category.insert("food".into(), Tally { exchanges: 2, minutes: 150 });
        month.by_form.insert("exchange".into(), 150);
        let mut s = TerritoryStats { exchanges: 4, inside: 3, ..TerritoryStats::default() };
        s.months.insert("2026-11".into(), month);
        s.with.insert("vallee.example".into(), 1);
        s.balances.push(Balance { domain: "vallee.example".into(), minutes: -90, limit: 600 });
        assert_eq!(
            serde_json::to_value(StatsJson::of(&s, "Saint-Affrique")).unwrap(),
            json!({
                "territory": "Saint-Affrique",
                "months": [{ "month": "2026-11", "exchanges": 2, "hours": 2.5,
                             "by_category": { "food": { "exchanges": 2, "hours": 2.5 } },
                             "by_form": { "exchange": 2.5 } }],
                "exchanges": { "total": 4, "inside": 3, "inside_share": 0.75,
                               "with": [{ "domain": "vallee.example", "exchanges": 1, "share": 0.25 }] },
                "balances": [{ "domain": "vallee.example", "balance_hours": -1.5, "limit_hours": 10.0 }],
            })
        );
    }
}
