//! `GET /import`: the formats, example files and the upload form (also shown, with a message,
//! when a file is refused as a whole).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;
use axum::response::Response;

use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::domain::import::{ColumnDoc, ImportKind};
use crate::error::{AppError, AppResult};
use crate::web::csv_export;
use crate::web::page::{Area, PageContext};

pub struct KindDoc {
    pub value: &'static str,
    pub label: &'static str,
    pub columns: &'static [ColumnDoc],
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/import/index.html")]
pub struct ImportPage {
    pub ctx: PageContext,
    pub kinds: Vec<KindDoc>,
    pub error: Option<String>,
}

impl ImportPage {
    pub fn new(user: &CurrentUser, selected: &str, error: Option<String>) -> Self {
        Self {
            ctx: PageContext::new(user, Area::Catalogue, "Import")
                .crumb("IT services", "/services")
                .here("Import"),
            kinds: ImportKind::ALL
                .iter()
                .map(|kind| KindDoc {
                    value: kind.as_str(),
                    label: kind.label(),
                    columns: kind.columns(),
                    selected: kind.as_str() == selected,
                })
                .collect(),
            error,
        }
    }
}

#[derive(serde::Deserialize)]
pub struct ImportQuery {
    kind: Option<String>,
}

/// `?kind=contracts` preselects what the file holds (the contracts page links here so).
pub async fn show(
    Authorized { user, .. }: Authorized<ManageContinuity>,
    crate::web::input::Query(query): crate::web::input::Query<ImportQuery>,
) -> ImportPage {
    let kind = query
        .kind
        .as_deref()
        .and_then(ImportKind::parse)
        .unwrap_or(ImportKind::Services);
    ImportPage::new(&user, kind.as_str(), None)
}

const EXAMPLES: &[(&str, &str)] = &[
    (
        "sites.csv",
        include_str!("../../../../static/examples/sites.csv"),
    ),
    (
        "services.csv",
        include_str!("../../../../static/examples/services.csv"),
    ),
    (
        "components.csv",
        include_str!("../../../../static/examples/components.csv"),
    ),
    (
        "dependencies.csv",
        include_str!("../../../../static/examples/dependencies.csv"),
    ),
    (
        "contracts.csv",
        include_str!("../../../../static/examples/contracts.csv"),
    ),
    (
        "risks.csv",
        include_str!("../../../../static/examples/risks.csv"),
    ),
];

/// `GET /import/examples/{file}`: an example file to start from.
pub async fn example(
    _: Authorized<ManageContinuity>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let (name, text) = EXAMPLES
        .iter()
        .find(|(name, _)| *name == file)
        .ok_or(AppError::NotFound)?;
    let mut body = Vec::from("\u{feff}".as_bytes());
    body.extend_from_slice(text.as_bytes());
    Ok(csv_export::download(
        &format!("example-{}", name.trim_end_matches(".csv")),
        body,
    ))
}
