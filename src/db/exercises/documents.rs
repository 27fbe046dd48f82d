//! Evidence files attached to a test (logs, screenshots, the signed-off report), stored in the
//! database with their SHA-256 like contract documents, so every instance serves the same bytes.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};
use crate::db::suppliers::documents::{DocumentInfo, Download, NewDocument};

pub async fn list(db: impl PgExecutor<'_>, test: Uuid) -> sqlx::Result<Vec<DocumentInfo>> {
    sqlx::query_as!(
        DocumentInfo,
        r#"select d.id, d.file_name, d.content_type, d.size_bytes, d.sha256,
                  u.display_name as "uploaded_by?", d.uploaded_at
           from plan_test_documents d left join users u on u.id = d.uploaded_by
           where d.test_id = $1 order by d.uploaded_at desc"#,
        test
    )
    .fetch_all(db)
    .await
}

pub async fn download(
    db: impl PgExecutor<'_>,
    test: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Download>> {
    sqlx::query_as!(
        Download,
        "select file_name, content_type, content from plan_test_documents
         where test_id = $1 and id = $2",
        test,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn add(
    conn: &mut PgConnection,
    actor: &Actor,
    test: Uuid,
    document: &NewDocument<'_>,
) -> sqlx::Result<Uuid> {
    let size = i32::try_from(document.content.len()).unwrap_or(i32::MAX);
    let id = sqlx::query_scalar!(
        "insert into plan_test_documents (test_id, file_name, content_type, size_bytes, sha256, content, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        test,
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
        Change::new("plan_test_document", id, "create").after(&serde_json::json!({
            "test_id": test, "file_name": document.file_name, "sha256": document.sha256,
            "size_bytes": size,
        })),
    )
    .await?;
    Ok(id)
}
