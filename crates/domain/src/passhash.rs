//! Password hashing with argon2id (PHC strings, parameters stored with the hash).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

pub fn hash_password(password: &str) -> String {
    Argon2::default().hash_password(password.as_bytes()).expect("argon2 hashing with default parameters").to_string()
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// Whether `phc` is a well-formed PHC string (so verifying against it costs a full hash).
pub fn is_phc(phc: &str) -> bool {
    PasswordHash::new(phc).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn hash_and_verify() {
        let h = hash_password("Demo@2022");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Demo@2022", &h));
        assert!(!verify_password("demo@2022", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
