//! What makes a password acceptable: length bounds and a strength estimate (zxcvbn), with advice.

use zxcvbn::{Score, zxcvbn};

use crate::config::DEFAULT_DEMO_PASSWORD;

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// The smallest zxcvbn score accepted: 4, "very unguessable" (about 10^10 guesses or more).
/// Score 3 (10^8) still lets through a season or a name with a year and symbols added
/// (`Summer2026!!` scores 3), which is exactly what is tried first; three unrelated words pass.
pub const MIN_SCORE: Score = Score::Four;

/// Checks a new password; `context` holds words an attacker would try first (the user's email
/// and name). The error is a sentence to show next to the field.
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
    if compact(password) == compact(DEFAULT_DEMO_PASSWORD) {
        return Err(
            "This is the demonstration password, published in the documentation: choose another."
                .into(),
        );
    }
    let words = personal_words(context);
    if contains_whole_name(password, &words) {
        return Err(
            "This password is too easy to guess: it contains your name or email address, the first thing anyone would try. Choose words that have nothing to do with you."
                .into(),
        );
    }
    let mut inputs: Vec<&str> = words.iter().map(String::as_str).collect();
    inputs.push(DEFAULT_DEMO_PASSWORD);
    let estimate = zxcvbn(password, &inputs);
    if estimate.score() >= MIN_SCORE {
        return Ok(());
    }
    let mut advice = if words
        .iter()
        .any(|word| compact(password).contains(&compact(word)))
    {
        String::from(
            "This password is too easy to guess: it contains part of your name or email address.",
        )
    } else {
        String::from("This password is too easy to guess.")
    };
    match estimate.feedback() {
        Some(feedback) => {
            if let Some(warning) = feedback.warning() {
                advice.push(' ');
                advice.push_str(&warning.to_string());
            }
            for suggestion in feedback.suggestions() {
                advice.push(' ');
                advice.push_str(&suggestion.to_string());
            }
        }
        None => advice.push_str(
            " A word with a year, digits or symbols added is among the first things tried; a few unrelated words are stronger.",
        ),
    }
    Err(advice)
}

/// Letters and digits only, lower case: `Jane.Doe-2026` → `janedoe2026`.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether the password holds someone's whole name or email name (`Jane.Doe2026` for Jane Doe),
/// however it is punctuated; short ones are left to the estimate.
fn contains_whole_name(password: &str, words: &[String]) -> bool {
    let password = compact(password);
    words
        .iter()
        .map(|word| compact(word))
        .filter(|word| word.chars().count() >= 5)
        .any(|word| password.contains(&word))
}

/// The context and its pieces (`jane.doe@example.com` → `jane.doe`, `jane`, `doe`, `example`,
/// `janedoe` …), so that a password built from someone's own name or address counts as guessable.
fn personal_words(context: &[&str]) -> Vec<String> {
    let mut words = Vec::new();
    for item in context {
        let lower = item.to_lowercase();
        let name = match lower.split_once('@') {
            Some((local, _)) => local.to_string(),
            None => lower.clone(),
        };
        words.push(name.clone());
        words.push(compact(&name));
        words.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|piece| piece.chars().count() >= 3)
                .map(str::to_string),
        );
        words.push(lower);
    }
    words.retain(|word| !word.is_empty());
    words.sort();
    words.dedup();
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

    const JANE: [&str; 2] = ["jane.doe@example.com", "Jane Doe"];

    #[test]
    fn a_password_built_from_the_users_name_is_refused_and_says_so() {
        for password in [
            "janedoe12345",
            "Jane.Doe2026",
            "2026-jane-doe!",
            "JANEDOE-orbit",
        ] {
            let message = check(password, &JANE).unwrap_err();
            assert!(message.contains("your name"), "{password}: {message}");
        }
    }

    #[test]
    fn common_patterns_are_refused() {
        for password in [
            "Summer2026!!",
            "Password2026!",
            "Welcome12345",
            "qwerty123456",
        ] {
            assert!(check(password, &JANE).is_err(), "{password}");
        }
    }

    #[test]
    fn the_published_demo_password_is_refused() {
        let message = check(DEFAULT_DEMO_PASSWORD, &JANE).unwrap_err();
        assert!(message.contains("demonstration password"), "{message}");
        assert!(check("Resilient Harbour 2026", &JANE).is_err());
    }

    #[test]
    fn the_test_suites_password_passes_for_test_users() {
        let email = "service-owner-cad9c57a@test.example";
        assert_eq!(
            check("vivid-otter-lantern-91", &[email, "Test Service owner"]),
            Ok(())
        );
        assert_eq!(
            check("vivid-otter-lantern-91", &["first.admin@test.example"]),
            Ok(())
        );
    }

    #[test]
    fn a_passphrase_is_accepted() {
        assert_eq!(check("lantern orbit cobalt meadow", &[]), Ok(()));
    }
}
