//! Password hashing with argon2id (the OWASP-recommended parameters that the
//! `argon2` crate uses by default: 19 MiB, 2 passes, 1 lane).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use maillage_core::Error;
use rand::distributions::{Alphanumeric, DistString};

pub fn hash_password(password: &str) -> Result<String, Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal(e.to_string()))
}

/// Whether `password` matches `stored`. A stored value that is not a valid
/// PHC string never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Spends the time of a real verification, so that "no such user" and
/// "wrong password" take equally long.
pub fn burn_verification_time(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default());
    let _ = verify_password(password, stored);
}

/// A random password for accounts created without one: 20 alphanumeric
/// characters, about 119 bits.
pub fn generate_password() -> String {
    Alphanumeric.sample_string(&mut OsRng, 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_salted() {
        let a = hash_password("correct horse battery").unwrap_or_default();
        let b = hash_password("correct horse battery").unwrap_or_default();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse battery!", &a));
        assert!(!verify_password("", &a));
    }

    #[test]
    fn garbage_hashes_never_match() {
        assert!(!verify_password("anything", "not-a-hash"));
        assert!(!verify_password("", ""));
    }

    #[test]
    fn generated_passwords_are_long_and_distinct() {
        let a = generate_password();
        assert_eq!(a.len(), 20);
        assert_ne!(a, generate_password());
    }
}
