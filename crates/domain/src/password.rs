//! Password complexity (等保 8.1.4.1 a) and random secrets.
//!
//! 8 characters from at least 3 of 4 classes is what 测评机构 usually accept; GB/T 22239 fixes
//! no numbers, so both are fields that configuration can raise.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use rand::seq::SliceRandom;

use crate::DomainError;
use crate::error::Errors;

const FIELD: &str = "password";

/// Longer input is refused: argon2 would hash it, but nobody types it and it invites abuse
/// (hashing megabytes per login attempt).
pub const MAX_LEN: usize = 128;

/// Usernames shorter than this are not searched for in the password: a one- or two-letter
/// name would match by chance and reject good random passwords.
const MIN_USERNAME_CHECK_LEN: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_len: usize,
    /// Of the four classes: lower case, upper case, digits, symbols (anything else).
    pub min_classes: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy { min_len: 8, min_classes: 3 }
    }
}

fn class_count(password: &str) -> usize {
    let has = |f: fn(&char) -> bool| password.chars().any(|c| f(&c));
    [
        has(char::is_ascii_lowercase),
        has(char::is_ascii_uppercase),
        has(char::is_ascii_digit),
        has(|c| !c.is_ascii_alphanumeric()),
    ]
    .into_iter()
    .filter(|&b| b)
    .count()
}

impl PasswordPolicy {
    /// Checks a new password; reports every problem at once.
    pub fn validate(&self, password: &str, username: &str) -> Result<(), DomainError> {
        let mut errors = Errors::default();
        let len = password.chars().count();
        if len < self.min_len || class_count(password) < self.min_classes {
            errors.push(
                FIELD,
                format!(
                    "密码至少{}位，且包含大写字母、小写字母、数字、符号中的至少{}类",
                    self.min_len, self.min_classes
                ),
            );
        }
        if len > MAX_LEN {
            errors.push(FIELD, format!("密码不能超过{MAX_LEN}位"));
        }
        let name = username.trim().to_lowercase();
        if name.chars().count() >= MIN_USERNAME_CHECK_LEN && password.to_lowercase().contains(&name) {
            errors.push(FIELD, "密码不能包含用户名");
        }
        errors.finish(|| ())
    }
}

// No look-alikes (0/O, 1/l/I) because these passwords are read off a screen and typed.
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"!@#$%^&*-_=+?";

/// 16 random characters with all four classes, so it passes any policy up to 16/4.
/// Uses the thread RNG, a CSPRNG seeded from the OS.
pub fn random_password() -> String {
    let mut rng = rand::rng();
    let all: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS].concat();
    let mut chars: Vec<u8> =
        [LOWER, UPPER, DIGITS, SYMBOLS].iter().map(|set| set[rng.random_range(0..set.len())]).collect();
    while chars.len() < 16 {
        chars.push(all[rng.random_range(0..all.len())]);
    }
    chars.shuffle(&mut rng); // the guaranteed four must not sit at fixed positions
    String::from_utf8(chars).expect("ASCII alphabet")
}

/// A [`random_password`] that also passes the default policy for `username` (a random
/// password can, rarely, contain a short username).
pub fn random_password_for(username: &str) -> String {
    loop {
        let p = random_password();
        if PasswordPolicy::default().validate(&p, username).is_ok() {
            return p;
        }
    }
}

/// 32 random bytes as URL-safe base64 without padding (43 characters), for session ids and
/// API tokens: 256 bits cannot be guessed, and the text fits in cookies and URLs unescaped.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(r: Result<(), DomainError>) -> Vec<String> {
        match r {
            Ok(()) => vec![],
            Err(DomainError::Invalid(v)) => {
                assert!(v.iter().all(|e| e.field == "password"));
                v.into_iter().map(|e| e.message).collect()
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    const WEAK: &str = "密码至少8位，且包含大写字母、小写字母、数字、符号中的至少3类";

    #[test]
    fn demo_password_passes() {
        assert_eq!(PasswordPolicy::default().validate("Demo@2022", "admin"), Ok(()));
    }

    #[test]
    fn length_and_classes() {
        let p = PasswordPolicy::default();
        assert_eq!(messages(p.validate("Ab1@", "admin")), vec![WEAK]);
        assert_eq!(messages(p.validate("abcdefgh12", "admin")), vec![WEAK]);
        assert_eq!(messages(p.validate("ABCDEFGH", "admin")), vec![WEAK]);
        assert!(p.validate("abcdefgh12!", "admin").is_ok()); // lower, digit, symbol
        assert!(p.validate("密码Abcdefg1", "admin").is_ok()); // CJK counts as a symbol
        assert!(p.validate("Abc def 1", "admin").is_ok()); // so does a space
        let strict = PasswordPolicy { min_len: 12, min_classes: 4 };
        assert_eq!(
            messages(strict.validate("Demo@2022", "admin")),
            vec!["密码至少12位，且包含大写字母、小写字母、数字、符号中的至少4类"]
        );
    }

    #[test]
    fn too_long() {
        let p = PasswordPolicy::default();
        let ok = format!("Aa1!{}", "x".repeat(MAX_LEN - 4));
        assert!(p.validate(&ok, "admin").is_ok());
        assert_eq!(messages(p.validate(&format!("{ok}x"), "admin")), vec!["密码不能超过128位"]);
    }

    #[test]
    fn username_inside_password() {
        let p = PasswordPolicy::default();
        assert_eq!(messages(p.validate("Admin@2022", "admin")), vec!["密码不能包含用户名"]);
        assert_eq!(messages(p.validate("x.ZHANGSAN.9", " zhangsan ")), vec!["密码不能包含用户名"]);
        assert!(p.validate("Xy@2022ab", "ab").is_ok()); // too short a name to check
        // Several problems are reported together.
        assert_eq!(messages(p.validate("admin", "admin")), vec![WEAK, "密码不能包含用户名"]);
    }

    #[test]
    fn random_password_shape() {
        let p = random_password();
        assert_eq!(p.len(), 16);
        assert_eq!(class_count(&p), 4);
        assert_ne!(p, random_password());
        let strict = PasswordPolicy { min_len: 16, min_classes: 4 };
        assert!(strict.validate(&p, "").is_ok());
        assert!(PasswordPolicy::default().validate(&random_password_for("abc"), "abc").is_ok());
    }

    #[test]
    fn random_token_shape() {
        let t = random_token();
        assert_eq!(t.len(), 43);
        assert!(t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(URL_SAFE_NO_PAD.decode(&t).unwrap().len(), 32);
        assert_ne!(t, random_token());
    }

    #[test]
    fn random_passwords_always_pass() {
        for _ in 0..1000 {
            let p = random_password();
            assert!(PasswordPolicy::default().validate(&p, "admin").is_ok(), "{p}");
            assert_eq!(class_count(&p), 4);
        }
    }
}
