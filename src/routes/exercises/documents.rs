//! Evidence files of a test: attached by those who record its results, under the same rules as
//! contract documents (type from the extension checked against the first bytes, 10 MB at most,
//! SHA-256 kept), read by everyone who reads the test.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use super::{load, may_record};
use crate::auth::extract::DraftPlans;
use crate::auth::{Authorized, CurrentUser};
use crate::db::exercises::documents;
use crate::db::suppliers::documents::NewDocument;
use crate::domain::text::clean_file_name;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::routes::suppliers::documents::{MAX_DOCUMENT_BYTES, classify};
use crate::state::AppState;
use crate::web::flash::{self, Flash};

pub async fn upload(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let test = load(&state, &id).await?;
    // Who may attach is decided before the body is read.
    if !may_record(&state, &user, &test).await? {
        return Err(AppError::Forbidden);
    }
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("send the file as a form upload".into()))?;
    let href = format!("/tests/{}#evidence", test.id);
    let mut file_name = String::new();
    let mut bytes = Vec::new();
    let mut too_large = false;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("unreadable upload".into()))?
    {
        // One file per upload: the first one sent.
        if field.name() != Some("document") || !file_name.is_empty() {
            continue;
        }
        file_name = clean_file_name(field.file_name().unwrap_or_default(), "evidence");
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|_| AppError::BadRequest("unreadable file".into()))?
        {
            if bytes.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                too_large = true;
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
    }
    let verdict = if too_large {
        Err("The file is larger than 10 MB.".to_owned())
    } else {
        classify(&file_name, &bytes)
    };
    let content_type = match verdict {
        Ok(content_type) => content_type,
        Err(message) => {
            flash::set(&state.db, &user.session_token_hash, Flash::error(message)).await?;
            return Ok(Redirect::to(&href).into_response());
        }
    };
    let sha256 = crate::digest::sha256_hex(&bytes);
    let mut tx = state.db.begin().await?;
    documents::add(
        &mut tx,
        &user.actor(),
        test.id,
        &NewDocument {
            file_name: &file_name,
            content_type,
            sha256: &sha256,
            content: &bytes,
        },
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!("{file_name} attached as evidence.")),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

pub async fn download(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path((id, document)): Path<(String, String)>,
) -> AppResult<Response> {
    let file = documents::download(&state.db, parse_id(&id)?, parse_id(&document)?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    clean_file_name(&file.file_name, "evidence")
                ),
            ),
        ],
        file.content,
    )
        .into_response())
}
