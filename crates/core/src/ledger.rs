//! The contribution ledger's rules, without storage: amounts in whole
//! minutes, who gives and who receives in an agreement, forms of work, and
//! what `ledger verify` checks.

use crate::error::Error;
use crate::listing::ListingKind;

/// The most one transfer or contribution may carry: a year of full days.
pub const MAX_MINUTES: i64 = 366 * 24 * 60;

/// Hours as whole minutes; refuses what is not a positive amount of at
/// most [`MAX_MINUTES`].
pub fn minutes_of_hours(field: &str, hours: f64) -> Result<i64, Error> {
    if !hours.is_finite() || hours <= 0.0 {
        return Err(Error::unprocessable(format!(
            "Validation failed: {field}: must be a positive number of hours"
        )));
    }
    let minutes = (hours * 60.0).round();
    if minutes < 1.0 || minutes > MAX_MINUTES as f64 {
        return Err(Error::unprocessable(format!(
            "Validation failed: {field}: must be between one minute and {} hours",
            MAX_MINUTES / 60
        )));
    }
    Ok(minutes as i64)
}

pub fn hours_of_minutes(minutes: i64) -> f64 {
    minutes as f64 / 60.0
}

/// In an agreement on a listing, who provides the service: the author of
/// an offer, or whoever answers a need. Returns `(provider, receiver)`
/// among `(author, initiator)`.
pub fn provider_and_receiver<T>(listing_kind: ListingKind, author: T, initiator: T) -> (T, T) {
    if listing_kind == ListingKind::Need {
        (initiator, author)
    } else {
        (author, initiator)
    }
}

/// The forms of work a contribution may take.
pub const FORMS: [&str; 3] = ["paid", "volunteer", "exchange"];

pub fn check_form(form: &str) -> Result<(), Error> {
    if FORMS.contains(&form) {
        Ok(())
    } else {
        Err(Error::unprocessable(format!("Validation failed: form: must be one of {}", FORMS.join(", "))))
    }
}

/// Whether a balance may move by `delta` within its limits, counting what
/// is already reserved for exchanges in progress.
pub fn within_limits(balance: i64, held_out: i64, held_in: i64, lower: i64, upper: i64, delta: i64) -> bool {
    if delta < 0 {
        balance - held_out + delta >= lower
    } else {
        balance + held_in + delta <= upper
    }
}

/// One problem `ledger verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerProblem {
    /// A stored balance differs from the sum of its account's movements.
    Balance { account: i64, stored: i64, summed: i64 },
    /// A transfer's movements do not make two opposite entries of its
    /// amount between its two accounts.
    Transfer { transfer: i64, detail: String },
    /// All balances together do not sum to zero.
    Total { sum: i64 },
}

impl std::fmt::Display for LedgerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LedgerProblem::Balance { account, stored, summed } => {
                write!(f, "account {account}: balance {stored} min, but its movements sum to {summed} min")
            }
            LedgerProblem::Transfer { transfer, detail } => write!(f, "transfer {transfer}: {detail}"),
            LedgerProblem::Total { sum } => write!(f, "all balances sum to {sum} min, not 0"),
        }
    }
}

/// Checks one transfer's movements: `(account, minutes)` pairs.
pub fn check_transfer(from: i64, to: i64, minutes: i64, movements: &[(i64, i64)]) -> Option<String> {
    let mut sorted = movements.to_vec();
    sorted.sort_unstable();
    let mut expected = vec![(from, -minutes), (to, minutes)];
    expected.sort_unstable();
    (sorted != expected).then(|| format!("movements {movements:?}, expected {expected:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_become_whole_minutes_and_bad_amounts_are_refused() {
        assert_eq!(minutes_of_hours("hours", 1.5).ok(), Some(90));
        assert_eq!(minutes_of_hours("hours", 0.25).ok(), Some(15));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 0.001, 10_000.0] {
            let err =
                minutes_of_hours("hours", bad).err().map(|e| e.message().to_owned()).unwrap_or_default();
            assert!(err.contains("hours"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_offer_author_provides_and_the_need_author_receives() {
        assert_eq!(provider_and_receiver(ListingKind::Offer, "author", "initiator"), ("author", "initiator"));
        assert_eq!(provider_and_receiver(ListingKind::Need, "author", "initiator"), ("initiator", "author"));
    }

    #[test]
    fn limits_count_what_is_reserved() {
        assert!(within_limits(0, 0, 0, -60, 60, -60));
        assert!(!within_limits(0, 1, 0, -60, 60, -60));
        assert!(!within_limits(50, 0, 10, -60, 60, 1));
        assert!(within_limits(50, 0, 9, -60, 60, 1));
    }

    #[test]
    fn a_transfer_is_two_opposite_movements() {
        assert_eq!(check_transfer(1, 2, 60, &[(2, 60), (1, -60)]), None);
        assert!(check_transfer(1, 2, 60, &[(1, -60), (2, 61)]).is_some());
        assert!(check_transfer(1, 2, 60, &[(1, -60)]).is_some());
    }
}
