//! Time-ordered 64-bit identifiers, as Mastodon uses: the high 48 bits are
//! milliseconds since the Unix epoch, the low 16 bits a per-process sequence
//! that starts at a random value. Ordering by id is ordering by creation
//! time, which the client API's `max_id`/`min_id` pagination relies on.
//! Several processes sharing one PostgreSQL start their sequences at
//! different random points, so a clash needs two processes to create rows
//! in the same millisecond at the same sequence value.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use crate::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(i64);

static SEQUENCE: OnceLock<AtomicU64> = OnceLock::new();

impl Id {
    /// A new id for a row created now.
    pub fn generate() -> Self {
        Self::generate_at(Timestamp::now())
    }

    pub fn generate_at(at: Timestamp) -> Self {
        let seq = SEQUENCE.get_or_init(|| AtomicU64::new(rand::random::<u16>().into()));
        let low = seq.fetch_add(1, Ordering::Relaxed) & 0xFFFF;
        let millis = u64::try_from(at.as_millis()).unwrap_or(0) & 0x7FFF_FFFF_FFFF;
        // 47 bits of milliseconds keep the id positive until the year 6429.
        Id(((millis << 16) | low) as i64)
    }

    /// The smallest id that could have been generated at `at`: used to turn a
    /// date into a pagination bound.
    pub fn lowest_at(at: Timestamp) -> Self {
        let millis = u64::try_from(at.as_millis()).unwrap_or(0) & 0x7FFF_FFFF_FFFF;
        Id((millis << 16) as i64)
    }

    pub const fn from_i64(raw: i64) -> Self {
        Id(raw)
    }

    pub const fn as_i64(self) -> i64 {
        self.0
    }

    /// When this id was generated.
    pub fn timestamp(self) -> Timestamp {
        Timestamp::from_micros((self.0 >> 16) * 1000)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("not a valid id")]
pub struct ParseIdError;

impl FromStr for Id {
    type Err = ParseIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.parse::<i64>() {
            Ok(v) if v >= 0 => Ok(Id(v)),
            _ => Err(ParseIdError),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_ordered_by_time() {
        let early = Id::generate_at(Timestamp::from_micros(1_000_000_000));
        let late = Id::generate_at(Timestamp::from_micros(2_000_000_000));
        assert!(early < late);
        let many: HashSet<Id> = (0..10_000).map(|_| Id::generate()).collect();
        assert_eq!(many.len(), 10_000);
    }

    #[test]
    fn id_carries_its_time() {
        let at = Timestamp::from_micros(1_795_639_698_123_000);
        assert_eq!(Id::generate_at(at).timestamp(), at);
        assert!(Id::lowest_at(at) <= Id::generate_at(at));
    }

    #[test]
    fn parses_only_non_negative_integers() {
        assert_eq!("42".parse::<Id>().ok(), Some(Id::from_i64(42)));
        assert!("-1".parse::<Id>().is_err());
        assert!("abc".parse::<Id>().is_err());
    }
}
