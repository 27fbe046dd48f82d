//! One-time messages ("User created") stored with the session and shown on the next page.

use sqlx::PgExecutor;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    /// `success`, `error` or `info`: also the CSS modifier.
    pub kind: &'static str,
    pub message: String,
}

impl Flash {
    pub fn success(message: impl Into<String>) -> Self {
        Self {
            kind: "success",
            message: message.into(),
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Self {
            kind: "error",
            message: message.into(),
        }
    }

    pub fn info(message: impl Into<String>) -> Self {
        Self {
            kind: "info",
            message: message.into(),
        }
    }

    pub fn from_parts(kind: Option<String>, message: Option<String>) -> Option<Self> {
        let message = message?;
        let kind = match kind.as_deref() {
            Some("success") => "success",
            Some("error") => "error",
            _ => "info",
        };
        Some(Self { kind, message })
    }
}

/// Leaves a message for the session's next page view.
pub async fn set(
    db: impl PgExecutor<'_>,
    session_token_hash: &[u8],
    flash: Flash,
) -> sqlx::Result<()> {
    crate::db::sessions::set_flash(db, session_token_hash, flash.kind, &flash.message).await
}
