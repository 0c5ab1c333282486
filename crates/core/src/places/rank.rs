//! Which place a name means when several answer it: the name typed in
//! full before a longer one, a whole word before part of one ("saint jean"
//! finds Saint-Jean-en-Royans before Saint-Jeannet), then places near the
//! territory's centre, then the more populous, then the nearer.

use std::cmp::Reverse;

/// Places within this distance of the territory's centre count as its own.
pub const NEAR_CENTRE_KM: f64 = 60.0;
/// Then places of the same region, roughly.
pub const REGION_KM: f64 = 200.0;

/// How well a place answers a query: smaller is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    closeness_of_name: u8,
    band: u8,
    population: Reverse<i64>,
    metres: u64,
}

/// The rank of the place whose search key is `key` for the query `query`
/// (a search key too), `km` from the territory's centre.
pub fn rank(query: &str, key: &str, population: i64, km: f64) -> Rank {
    let closeness_of_name = if key == query {
        0
    } else if key.strip_prefix(query).is_some_and(|rest| rest.starts_with(' ')) {
        1
    } else {
        2
    };
    let band = if km <= NEAR_CENTRE_KM {
        0
    } else if km <= REGION_KM {
        1
    } else {
        2
    };
    // Saturates: a NaN or infinite distance ranks last, never panics.
    let metres = (km * 1000.0).max(0.0) as u64;
    Rank { closeness_of_name, band, population: Reverse(population), metres }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_name_then_a_whole_word_then_the_territory_then_size() {
        let exact_far = rank("die", "die", 10, 500.0);
        let longer_near = rank("die", "dieulefit", 3000, 10.0);
        assert!(exact_far < longer_near);
        let word = rank("saint jean", "saint jean en royans", 3000, 40.0);
        let part = rank("saint jean", "saint jeannet", 4000, 40.0);
        assert!(word < part);
        let near = rank("saint jean", "saint jean en royans", 3000, 40.0);
        let big_far = rank("saint jean", "saint jean de luz", 14000, 600.0);
        assert!(near < big_far);
        assert!(rank("valence", "valence", 64000, 300.0) < rank("valence", "valence", 5000, 400.0));
        assert!(rank("a", "a", 1, 1.0) < rank("a", "a", 1, f64::NAN));
    }
}
