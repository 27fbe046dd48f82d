//! The service catalogue's tables: sites, services, components, business processes, organisation
//! units, and the dependency edges between them. Each node also has a `catalogue_nodes` row.

pub mod bulk;
pub mod components;
pub mod dependencies;
pub mod entries;
pub mod imports;
pub mod keep;
pub mod org_units;
pub mod processes;
pub mod services;
pub mod sites;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::graph::NodeKind;

/// Why a catalogue write was refused, in terms a form can show next to a field.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{message}")]
    Duplicate {
        field: &'static str,
        message: String,
    },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Turns a unique-index violation into a field message; `indexes` maps index → (field, message).
pub fn classify(error: sqlx::Error, indexes: &[(&str, &'static str, &str)]) -> WriteError {
    if let sqlx::Error::Database(db) = &error
        && let Some(constraint) = db.constraint()
        && let Some((_, field, message)) = indexes.iter().find(|(index, _, _)| *index == constraint)
    {
        return WriteError::Duplicate {
            field,
            message: message.to_string(),
        };
    }
    WriteError::Database(error)
}

/// Registers a new graph node and returns its id (the entity row uses the same id).
pub async fn new_node(conn: &mut PgConnection, kind: NodeKind) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into catalogue_nodes (kind) values ($1) returning id",
        kind.as_str()
    )
    .fetch_one(conn)
    .await
}

/// Empty text stored as null, for optional unique columns such as external ids.
pub fn blank_to_none(value: &str) -> Option<&str> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then_some(trimmed)
}
