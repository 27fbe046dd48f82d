//! The offline copy: the version in force as one self-contained HTML file — styles inline, no
//! request to anything outside the file (its own Content-Security-Policy forbids it), readable on
//! a phone, printable — stamped with its version, approver, time of generation and a SHA-256
//! checksum of its content. `GET /plans/pack.zip` bundles every current plan for the alternate
//! site. Each download is entered in the plan's distribution register.

use std::collections::HashMap;
use std::io::{Cursor, Write};

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;
use uuid::Uuid;
use zip::write::SimpleFileOptions;

use super::view::{ContentView, Medium, build};
use super::{content_of, directory, kind_of, load_plan};
use crate::auth::CurrentUser;
use crate::db::plans::distribution;
use crate::db::plans::people::Person;
use crate::db::plans::records::{self as plan_rows, Plan};
use crate::db::plans::versions::{self, PlanVersion};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::page::format_in_zone;

/// Marks where the checksummed content starts and ends, so anyone can verify it.
pub const CONTENT_START: &str = "<!--content-start-->";
pub const CONTENT_END: &str = "<!--content-end-->";

#[derive(Template)]
#[template(path = "plans/pack_content.html")]
struct PackContent<'a> {
    plan: &'a Plan,
    kind: &'static str,
    version: &'a PlanVersion,
    approved_on: String,
    view: ContentView,
    online: bool,
}

#[derive(Template)]
#[template(path = "plans/pack.html")]
struct PackFile<'a> {
    title: &'a str,
    number: i32,
    content: String,
    checksum: String,
    generated: String,
    generated_by: String,
    content_start: &'static str,
    content_end: &'static str,
}

/// One rendered offline copy.
struct Pack {
    file_name: String,
    html: String,
    checksum: String,
    version_id: Uuid,
}

fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "plan".to_owned()
    } else {
        slug.chars().take(60).collect()
    }
}

/// The hex SHA-256 of the text between the content markers.
pub fn checksum(content: &str) -> String {
    crate::digest::sha256_hex(content.as_bytes())
}

fn render(
    user: &CurrentUser,
    plan: &Plan,
    version: &PlanVersion,
    directory: &HashMap<Uuid, Person>,
    services: &[crate::db::plans::records::CoveredService],
) -> AppResult<Pack> {
    let content = content_of(version);
    let inner = PackContent {
        plan,
        kind: kind_of(plan).label(),
        version,
        approved_on: version
            .approved_at
            .map(|at| format_in_zone(at, &user.time_zone, "%Y-%m-%d"))
            .unwrap_or_default(),
        view: build(&content, directory, services, Medium::Offline),
        online: false,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    let sum = checksum(&inner);
    let now = OffsetDateTime::now_utc();
    let html = PackFile {
        title: &plan.title,
        number: version.number,
        checksum: sum.clone(),
        generated: format!(
            "{} ({})",
            format_in_zone(now, &user.time_zone, "%Y-%m-%d %H:%M"),
            user.time_zone_name
        ),
        generated_by: user.display_name.clone(),
        content: inner,
        content_start: CONTENT_START,
        content_end: CONTENT_END,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(Pack {
        file_name: format!("{}-v{}.html", slug(&plan.title), version.number),
        html,
        checksum: sum,
        version_id: version.id,
    })
}

async fn pack_of(
    state: &AppState,
    user: &CurrentUser,
    plan: &Plan,
    directory: &HashMap<Uuid, Person>,
) -> AppResult<Option<Pack>> {
    let Some(version) = versions::current(&mut *state.db.acquire().await?, plan.id).await? else {
        return Ok(None);
    };
    let services = plan_rows::services_by_ids(&state.db, &content_of(&version).services).await?;
    render(user, plan, &version, directory, &services).map(Some)
}

fn attachment(file_name: &str, content_type: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn single(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let plan = load_plan(&state, &id).await?;
    let directory = directory(&state).await?;
    let pack = pack_of(&state, &user, &plan, &directory)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    distribution::record_download(
        &mut tx,
        &user.actor(),
        plan.id,
        pack.version_id,
        "pack",
        &pack.checksum,
    )
    .await?;
    tx.commit().await?;
    let mut response = attachment(
        &pack.file_name,
        "text/html; charset=utf-8",
        pack.html.into_bytes(),
    );
    if let Ok(value) = pack.checksum.parse() {
        response.headers_mut().insert("x-content-sha256", value);
    }
    Ok(response)
}

pub async fn zip_of_current(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Response> {
    // A fixed number of queries however many plans: plans, their versions, the services named.
    let directory = directory(&state).await?;
    let plans = plan_rows::in_force(&state.db).await?;
    let ids: Vec<Uuid> = plans.iter().map(|plan| plan.id).collect();
    let mut in_force: HashMap<Uuid, PlanVersion> = versions::current_of(&state.db, &ids)
        .await?
        .into_iter()
        .map(|version| (version.plan_id, version))
        .collect();
    let service_ids: Vec<Uuid> = in_force
        .values()
        .flat_map(|version| content_of(version).services)
        .collect();
    let services = plan_rows::services_by_ids(&state.db, &service_ids).await?;
    let mut packs = Vec::new();
    for plan in plans {
        if let Some(version) = in_force.remove(&plan.id) {
            let pack = render(&user, &plan, &version, &directory, &services)?;
            packs.push((plan, pack));
        }
    }
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let now = OffsetDateTime::now_utc();
    let mut options =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    // Without a time, entries would claim 1980; a zip cannot hold years before it or after 2107.
    if let Ok(stamp) = zip::DateTime::from_date_and_time(
        u16::try_from(now.year()).unwrap_or(1980),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
    ) {
        options = options.last_modified_time(stamp);
    }
    let mut index = String::from(
        "Continuity: all current plans\n\nEach file opens in any browser without the network.\n\
         The checksum is the SHA-256 of the text between the content markers in the file.\n\n",
    );
    for (plan, pack) in &packs {
        archive
            .start_file(pack.file_name.as_str(), options)
            .map_err(anyhow::Error::from)?;
        archive
            .write_all(pack.html.as_bytes())
            .map_err(anyhow::Error::from)?;
        index.push_str(&format!(
            "{}\n  {}\n  sha256 {}\n\n",
            plan.title, pack.file_name, pack.checksum
        ));
    }
    archive
        .start_file("README.txt", options)
        .map_err(anyhow::Error::from)?;
    archive
        .write_all(index.as_bytes())
        .map_err(anyhow::Error::from)?;
    let bytes = archive.finish().map_err(anyhow::Error::from)?.into_inner();
    let downloads: Vec<(Uuid, Uuid, String)> = packs
        .iter()
        .map(|(plan, pack)| (plan.id, pack.version_id, pack.checksum.clone()))
        .collect();
    let mut tx = state.db.begin().await?;
    distribution::record_downloads(&mut tx, &user.actor(), "zip", &downloads).await?;
    tx.commit().await?;
    Ok(attachment(
        &format!("continuity-plans-{}.zip", now.date()),
        "application/zip",
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_is_sha256_in_hex() {
        assert_eq!(
            checksum("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn file_names_are_plain_slugs() {
        assert_eq!(
            slug("Payroll — recovery plan (DC1)"),
            "payroll-recovery-plan-dc1"
        );
        assert_eq!(slug("***"), "plan");
    }
}
