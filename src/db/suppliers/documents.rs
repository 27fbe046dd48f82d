//! Documents attached to a contract (the signed contract, the supplier's continuity evidence),
//! stored in the database with their SHA-256 so every instance serves the same bytes.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};

#[derive(Debug, Clone)]
pub struct DocumentInfo {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub sha256: String,
    pub uploaded_by: Option<String>,
    pub uploaded_at: OffsetDateTime,
}

pub struct Download {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

pub struct NewDocument<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
}

pub async fn list(db: impl PgExecutor<'_>, contract: Uuid) -> sqlx::Result<Vec<DocumentInfo>> {
    sqlx::query_as!(
        DocumentInfo,
        r#"select d.id, d.file_name, d.content_type, d.size_bytes, d.sha256,
                  u.display_name as "uploaded_by?", d.uploaded_at
           from contract_documents d left join users u on u.id = d.uploaded_by
           where d.contract_id = $1 order by d.uploaded_at desc"#,
        contract
    )
    .fetch_all(db)
    .await
}

pub async fn download(
    db: impl PgExecutor<'_>,
    contract: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Download>> {
    sqlx::query_as!(
        Download,
        "select file_name, content_type, content from contract_documents
         where contract_id = $1 and id = $2",
        contract,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn add(
    conn: &mut PgConnection,
    actor: &Actor,
    contract: Uuid,
    document: &NewDocument<'_>,
) -> sqlx::Result<Uuid> {
    let size = i32::try_from(document.content.len()).unwrap_or(i32::MAX);
    let id = sqlx::query_scalar!(
        "insert into contract_documents (contract_id, file_name, content_type, size_bytes, sha256, content, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        contract,
        document.file_name,
        document.content_type,
        size,
        document.sha256,
        document.content,
        actor.user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        Change::new("contract", contract, "attach").after(&serde_json::json!({
            "document": id, "file_name": document.file_name, "size_bytes": size, "sha256": document.sha256
        })),
    )
    .await?;
    Ok(id)
}
