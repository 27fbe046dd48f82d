//! `POST /import` reads the upload and keeps it; `GET /import/{id}` shows the plan: how many rows
//! each outcome has, and the rows a page at a time (filtered by outcome, refused ones first to
//! read). Nothing is written to the catalogue until the confirmation.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::PgConnection;

use super::page::ImportPage;
use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::catalogue::imports::{self, StoredImport};
use crate::domain::import::{self, Action, ImportKind, PlannedRow};
use crate::domain::text::clean_file_name;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::form;
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};

/// The largest file an import takes; a bigger one is refused with this figure in the message.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

pub async fn upload(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut kind = String::new();
    let mut file_name = String::new();
    let mut bytes = Vec::new();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("unreadable upload".into()))?
    {
        match field.name() {
            Some("kind") => {
                kind = field
                    .text()
                    .await
                    .map_err(|_| AppError::BadRequest("unreadable kind".into()))?
            }
            Some("file") => {
                file_name = clean_file_name(field.file_name().unwrap_or_default(), "upload.csv");
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|_| AppError::BadRequest("unreadable file".into()))?
                {
                    if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                        let message = format!(
                            "The file is larger than {} MB; split it into smaller files.",
                            MAX_FILE_BYTES / 1024 / 1024
                        );
                        return Ok(form::rejected(ImportPage::new(&user, &kind, Some(message))));
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    let Some(import_kind) = ImportKind::parse(&kind) else {
        return Ok(form::rejected(ImportPage::new(
            &user,
            "services",
            Some("Choose what the file contains.".into()),
        )));
    };
    if bytes.is_empty() {
        return Ok(form::rejected(ImportPage::new(
            &user,
            &kind,
            Some("Choose a CSV file to upload.".into()),
        )));
    }
    if let Err(error) = import::read(&bytes, import_kind) {
        return Ok(form::rejected(ImportPage::new(
            &user,
            &kind,
            Some(error.to_string()),
        )));
    }
    // The file reads: keep it (as text — `read` proved it is UTF-8) for preview and confirmation.
    let content = String::from_utf8(bytes).map_err(|_| AppError::BadRequest("not UTF-8".into()))?;
    let content = import::storable(&content);
    let id = imports::save(
        &mut *state.db.acquire().await?,
        user.id,
        import_kind.as_str(),
        &file_name,
        &content,
    )
    .await?;
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}

/// Rows of the preview shown per page: a 50 000-row file stays a page of a few dozen KB.
const ROWS_PER_PAGE: usize = 100;

/// Which rows the preview lists: `?outcome=refuse|create|update|unchanged` and `?page=`.
#[derive(Deserialize, Default)]
pub struct PreviewQuery {
    outcome: Option<String>,
    page: Option<usize>,
}

pub struct RowView {
    pub line: usize,
    pub label: String,
    /// `create`, `update`, `unchanged` or `refuse`: also the badge colour.
    pub action: &'static str,
    pub detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/import/preview.html")]
pub struct PreviewPage {
    ctx: PageContext,
    id: String,
    kind_label: &'static str,
    file_name: String,
    rows: Vec<RowView>,
    /// The outcome listed (`all` or an action), the page and how many pages it has.
    outcome: &'static str,
    page: usize,
    pages: usize,
    shown: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
    refused: usize,
    applied: bool,
}

/// Loads a stored upload and plans it against the catalogue as it is now, all on `conn` (which
/// may be the caller's transaction: nothing here takes a second pooled connection).
pub async fn plan_stored(
    conn: &mut PgConnection,
    id: &str,
) -> AppResult<(StoredImport, ImportKind, Vec<PlannedRow>)> {
    let stored = imports::find(&mut *conn, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let kind = ImportKind::parse(&stored.kind).ok_or(AppError::NotFound)?;
    let table = import::read(stored.content.as_bytes(), kind)
        .map_err(|error| AppError::Internal(error.into()))?;
    let snapshot = imports::snapshot(conn, kind).await?;
    let rows = import::plan(kind, &table, &snapshot);
    Ok((stored, kind, rows))
}

pub async fn show(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Query(query): Query<PreviewQuery>,
) -> AppResult<PreviewPage> {
    let (stored, kind, rows) = plan_stored(&mut *state.db.acquire().await?, &id).await?;
    Ok(preview_page(&user, &stored, kind, &rows, &query))
}

/// The outcome a row has, as the preview names it (also its badge).
fn outcome(action: &Action) -> &'static str {
    match action {
        Action::Create => "create",
        Action::Update(_) => "update",
        Action::Unchanged => "unchanged",
        Action::Refuse(_) => "refuse",
    }
}

fn preview_page(
    user: &CurrentUser,
    stored: &StoredImport,
    kind: ImportKind,
    rows: &[PlannedRow],
    query: &PreviewQuery,
) -> PreviewPage {
    let count = |wanted: fn(&Action) -> bool| rows.iter().filter(|row| wanted(&row.action)).count();
    let wanted = ["create", "update", "unchanged", "refuse"]
        .into_iter()
        .find(|name| query.outcome.as_deref() == Some(*name))
        .unwrap_or("all");
    let listed: Vec<&PlannedRow> = rows
        .iter()
        .filter(|row| wanted == "all" || outcome(&row.action) == wanted)
        .collect();
    let pages = listed.len().div_ceil(ROWS_PER_PAGE).max(1);
    let page = query.page.unwrap_or(1).clamp(1, pages);
    PreviewPage {
        outcome: wanted,
        page,
        pages,
        shown: listed.len(),
        ctx: PageContext::new(user, Area::Catalogue, "Import preview")
            .crumb("IT services", "/services")
            .crumb("Import", "/import")
            .here("Preview"),
        id: stored.id.to_string(),
        kind_label: kind.label(),
        file_name: stored.file_name.clone(),
        created: count(|action| *action == Action::Create),
        updated: count(|action| matches!(action, Action::Update(_))),
        unchanged: count(|action| *action == Action::Unchanged),
        refused: count(|action| matches!(action, Action::Refuse(_))),
        rows: listed
            .into_iter()
            .skip((page - 1) * ROWS_PER_PAGE)
            .take(ROWS_PER_PAGE)
            .map(|row| {
                let (action, detail) = match &row.action {
                    Action::Create => ("create", "Will be created.".to_string()),
                    Action::Update(fields) => {
                        ("update", format!("Will update: {}.", fields.join(", ")))
                    }
                    Action::Unchanged => ("unchanged", "Already up to date.".to_string()),
                    Action::Refuse(reason) => ("refuse", reason.clone()),
                };
                RowView {
                    line: row.line,
                    label: row.label.clone(),
                    action,
                    detail,
                }
            })
            .collect(),
        applied: stored.applied_at.is_some(),
    }
}
