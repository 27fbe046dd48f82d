//! Argon2id hashing off the async threads, and verification that takes the same time whether or
//! not the account exists.

use std::sync::LazyLock;

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use rand::Rng;

/// Checked against when the email is unknown, so the response time does not reveal accounts.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_blocking("no account has this password, it only keeps timing equal").unwrap_or_default()
});

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| anyhow::anyhow!("cannot hash password: {error}"))
}

fn verify_blocking(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hashes a password with argon2id (the crate's default algorithm and parameters).
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .context("password hashing task failed")?
}

/// Verifies a password against a stored hash, or against a dummy hash when there is none.
pub async fn verify(stored_hash: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let matches = verify_blocking(stored_hash.as_deref().unwrap_or(&DUMMY_HASH), &password);
        matches && stored_hash.is_some()
    })
    .await
    .unwrap_or(false)
}

/// Computes the dummy hash ahead of the first sign-in, so that one is not slower either.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

/// A strong random password for a generated first administrator or a reset.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    let chars: Vec<char> = (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    // Groups of five are easier to read out and type.
    chars
        .chunks(5)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hashed = hash("lantern orbit cobalt meadow".into()).await.unwrap();
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify(Some(hashed.clone()), "lantern orbit cobalt meadow".into()).await);
        assert!(!verify(Some(hashed), "lantern orbit cobalt meado".into()).await);
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(
            !verify(
                None,
                "no account has this password, it only keeps timing equal".into()
            )
            .await
        );
    }

    #[test]
    fn generated_passwords_pass_the_policy() {
        let password = generate();
        assert_eq!(password.len(), 23);
        assert_eq!(
            crate::domain::password_policy::check(&password, &[]),
            Ok(())
        );
    }
}
