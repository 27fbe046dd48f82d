//! Attaching documents to a contract and downloading them. The type is decided from the file's
//! extension and checked against its first bytes, never taken from the browser; the size is
//! limited; each file is stored with its SHA-256.

use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use super::assess::visible_contracts;
use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::suppliers::contracts;
use crate::db::suppliers::documents::{self, NewDocument};
use crate::domain::text::clean_file_name;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::flash::{self, Flash};

/// The largest document accepted (the database refuses more too).
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// Accepted extensions, their content type, and the bytes such a file starts with (`None`:
/// text, checked as UTF-8 instead).
const TYPES: &[(&str, &str, Option<&[u8]>)] = &[
    ("pdf", "application/pdf", Some(b"%PDF")),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some(b"PK\x03\x04"),
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some(b"PK\x03\x04"),
    ),
    (
        "odt",
        "application/vnd.oasis.opendocument.text",
        Some(b"PK\x03\x04"),
    ),
    (
        "ods",
        "application/vnd.oasis.opendocument.spreadsheet",
        Some(b"PK\x03\x04"),
    ),
    ("png", "image/png", Some(b"\x89PNG")),
    ("jpg", "image/jpeg", Some(b"\xFF\xD8\xFF")),
    ("jpeg", "image/jpeg", Some(b"\xFF\xD8\xFF")),
    ("txt", "text/plain; charset=utf-8", None),
    ("csv", "text/csv; charset=utf-8", None),
];

/// The content type of an acceptable file, or why it is refused.
pub fn classify(file_name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.is_empty() {
        return Err("Choose a file to attach: the one sent was empty.".into());
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err("The file is larger than 10 MB.".into());
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, content_type, magic)) = TYPES.iter().find(|(known, _, _)| *known == extension)
    else {
        return Err(format!(
            "“{file_name}” is not a type we keep: attach a PDF, Word, Excel, OpenDocument, text, CSV or image file."
        ));
    };
    let genuine = match magic {
        Some(magic) => bytes.starts_with(magic),
        None => std::str::from_utf8(bytes).is_ok(),
    };
    if genuine {
        Ok(content_type)
    } else {
        Err(format!(
            "“{file_name}” does not contain what its name says: it was not attached."
        ))
    }
}

pub async fn upload(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let contract = contracts::find(&mut *state.db.acquire().await?, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let href = format!("/contracts/{}", contract.id);
    let mut file_name = String::new();
    let mut bytes = Vec::new();
    let mut too_large = false;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("unreadable upload".into()))?
    {
        if field.name() != Some("document") {
            continue;
        }
        file_name = clean_file_name(field.file_name().unwrap_or_default(), "document");
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
        contract.id,
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
        Flash::success(format!("{file_name} attached.")),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, document)): Path<(String, String)>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    if let Some(visible) = visible_contracts(&state, &user).await?
        && !visible.contains(&id)
    {
        return Err(AppError::Forbidden);
    }
    let file = documents::download(&state.db, id, parse_id(&document)?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (
                header::CONTENT_DISPOSITION,
                // Cleaned again: names stored before the cleaning was complete may hold more.
                format!(
                    "attachment; filename=\"{}\"",
                    clean_file_name(&file.file_name, "document")
                ),
            ),
        ],
        file.content,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_accepted_by_its_name_and_first_bytes() {
        assert_eq!(
            classify("contract.PDF", b"%PDF-1.7 ..."),
            Ok("application/pdf")
        );
    }

    #[test]
    fn a_file_pretending_to_be_a_pdf_is_refused() {
        assert!(classify("contract.pdf", b"<html><script>").is_err());
    }

    #[test]
    fn unknown_types_and_empty_files_are_refused() {
        assert!(
            classify("run.exe", b"MZ")
                .unwrap_err()
                .contains("not a type we keep")
        );
        assert!(classify("notes.txt", b"").is_err());
        assert!(classify("notes.txt", &[0xff, 0xfe, 0x00]).is_err());
        assert_eq!(
            classify("notes.txt", b"plain"),
            Ok("text/plain; charset=utf-8")
        );
    }
}
