//! A limit counted in this process's memory: the generic cell rate
//! algorithm (GCRA), the token bucket written with one instant per key.
//! Each key holds the time at which its bucket would be full again; a
//! request moves it one interval (`window / max`) later, and is refused
//! when that would put it more than a window ahead. So `max` requests may
//! come at once, then one every interval.
//!
//! A few dozen lines of our own rather than a crate: the node needs one
//! keyed limiter with a remaining count and a reset time for the
//! `X-RateLimit-*` headers, nothing more.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use maillage_core::config::Limit;

/// Keys not seen for a window are forgotten every this many checks.
const PRUNE_EVERY: u32 = 1024;

/// What one request was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    /// The limit: requests per window.
    pub limit: u32,
    /// How many more may come now.
    pub remaining: u32,
    /// When the key's bucket is full again.
    pub reset_after: Duration,
    /// When a refused request may be sent again (zero when allowed).
    pub retry_after: Duration,
}

struct Buckets {
    full_at: HashMap<String, Instant>,
    checks: u32,
}

/// One limit, per key (an address, a host).
pub struct KeyedLimiter {
    limit: Limit,
    window: Duration,
    interval: Duration,
    buckets: Mutex<Buckets>,
}

impl KeyedLimiter {
    pub fn new(limit: Limit) -> KeyedLimiter {
        let window = limit.window();
        let interval = window / limit.max.max(1);
        KeyedLimiter {
            limit,
            window,
            interval,
            buckets: Mutex::new(Buckets { full_at: HashMap::new(), checks: 0 }),
        }
    }

    /// Counts a request of `key` now.
    pub fn check(&self, key: &str) -> Verdict {
        self.check_at(key, Instant::now())
    }

    /// Counts a request of `key` at `now`.
    pub fn check_at(&self, key: &str, now: Instant) -> Verdict {
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        buckets.checks = buckets.checks.wrapping_add(1);
        if buckets.checks.is_multiple_of(PRUNE_EVERY) {
            buckets.full_at.retain(|_, at| *at > now);
        }
        let full_at = buckets.full_at.get(key).copied().filter(|at| *at > now).unwrap_or(now);
        let next = full_at + self.interval;
        let ahead = next - now;
        if ahead > self.window {
            return Verdict {
                allowed: false,
                limit: self.limit.max,
                remaining: 0,
                reset_after: full_at - now,
                retry_after: ahead - self.window,
            };
        }
        buckets.full_at.insert(key.to_owned(), next);
        let room = self.window - ahead;
        let remaining = if self.interval.is_zero() {
            self.limit.max
        } else {
            u32::try_from(room.as_nanos() / self.interval.as_nanos()).unwrap_or(u32::MAX)
        };
        Verdict {
            allowed: true,
            limit: self.limit.max,
            remaining,
            reset_after: ahead,
            retry_after: Duration::ZERO,
        }
    }

    /// Keys held now (for tests of the pruning).
    pub fn len(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).full_at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_max_then_one_per_interval() {
        let limiter = KeyedLimiter::new(Limit::new(3, 3));
        let t0 = Instant::now();
        let remaining: Vec<u32> = (0..3).map(|_| limiter.check_at("a", t0).remaining).collect();
        assert_eq!(remaining, [2, 1, 0]);
        let refused = limiter.check_at("a", t0);
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after, Duration::from_secs(1));
        assert_eq!(refused.reset_after, Duration::from_secs(3));
        // Another key has its own bucket.
        assert!(limiter.check_at("b", t0).allowed);
        // One interval later, one more; a whole window later, the full burst.
        assert!(limiter.check_at("a", t0 + Duration::from_secs(1)).allowed);
        assert!(!limiter.check_at("a", t0 + Duration::from_secs(1)).allowed);
        let later = t0 + Duration::from_secs(10);
        assert!((0..3).all(|_| limiter.check_at("a", later).allowed));
        assert!(!limiter.check_at("a", later).allowed);
    }

    #[test]
    fn refused_requests_do_not_push_the_reset_back() {
        let limiter = KeyedLimiter::new(Limit::new(2, 10));
        let t0 = Instant::now();
        assert!(limiter.check_at("a", t0).allowed && limiter.check_at("a", t0).allowed);
        for _ in 0..100 {
            assert!(!limiter.check_at("a", t0).allowed);
        }
        assert!(limiter.check_at("a", t0 + Duration::from_secs(5)).allowed);
    }

    #[test]
    fn idle_keys_are_forgotten() {
        let limiter = KeyedLimiter::new(Limit::new(10, 1));
        let t0 = Instant::now();
        for i in 0..PRUNE_EVERY - 1 {
            limiter.check_at(&format!("k{i}"), t0);
        }
        assert_eq!(limiter.len(), (PRUNE_EVERY - 1) as usize);
        limiter.check_at("last", t0 + Duration::from_secs(2));
        assert!(limiter.len() <= 1, "{}", limiter.len());
    }
}
