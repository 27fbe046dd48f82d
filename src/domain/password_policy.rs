//! What makes a password acceptable: length bounds and a strength estimate (zxcvbn), with advice.

use zxcvbn::{Score, zxcvbn};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// Checks a new password; `context` holds words an attacker would try first (email, name).
/// The error is a sentence to show next to the field.
pub fn check(password: &str, context: &[&str]) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_CHARS {
        return Err(format!(
            "Use at least {MIN_CHARS} characters (this one has {length}); a few unrelated words make a strong password that is easy to remember."
        ));
    }
    if length > MAX_CHARS {
        return Err(format!("Use at most {MAX_CHARS} characters."));
    }
    let words = personal_words(context);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let estimate = zxcvbn(password, &words);
    if estimate.score() >= Score::Three {
        return Ok(());
    }
    let mut advice = String::from("This password is too easy to guess.");
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            advice.push(' ');
            advice.push_str(&warning.to_string());
        }
        for suggestion in feedback.suggestions() {
            advice.push(' ');
            advice.push_str(&suggestion.to_string());
        }
    }
    Err(advice)
}

/// The context and its pieces (`jane.doe@example.com` → `jane.doe`, `jane`, `doe`, `example` …),
/// so that a password built from someone's own name or address counts as guessable.
fn personal_words(context: &[&str]) -> Vec<String> {
    let mut words = Vec::new();
    for item in context {
        let lower = item.to_lowercase();
        if let Some((local, _)) = lower.split_once('@') {
            words.push(local.to_string());
        }
        words.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|piece| piece.chars().count() >= 3)
                .map(str::to_string),
        );
        words.push(lower);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused_with_the_count() {
        let message = check("short", &[]).unwrap_err();
        assert!(message.contains("at least 12"), "{message}");
    }

    #[test]
    fn overlong_passwords_are_refused() {
        assert!(check(&"x".repeat(129), &[]).is_err());
    }

    #[test]
    fn common_passwords_are_refused_even_when_long() {
        assert!(check("password1234", &[]).is_err());
        assert!(check("qwertyuiopasdf", &[]).is_err());
    }

    #[test]
    fn the_users_own_email_does_not_make_a_password() {
        assert!(
            check(
                "jane.doe@example.com",
                &["jane.doe@example.com", "Jane Doe"]
            )
            .is_err()
        );
    }

    #[test]
    fn a_password_made_of_the_users_email_address_is_refused() {
        let email = "service-owner-cad9c57a@test.example";
        assert!(check("service-owner-cad9c57a", &[email]).is_err());
    }

    #[test]
    fn a_passphrase_is_accepted() {
        assert_eq!(check("lantern orbit cobalt meadow", &[]), Ok(()));
    }
}
