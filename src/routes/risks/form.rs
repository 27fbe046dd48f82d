//! Recording and editing a risk: what could happen (threat, vulnerability, cause → event →
//! consequence), what it bears on (chosen from the graph with a searching picker), its owner,
//! inherent and residual scores, the measures that apply, the treatment and the next review.
//! A refused form keeps everything typed; an edit over someone else's gets the conflict page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::writable;
use crate::auth::extract::DraftPlans;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::audit::Actor;
use crate::db::catalogue::WriteError;
use crate::db::risks::catalogues::{self, Measure, Threat};
use crate::db::risks::method;
use crate::db::risks::records::{self, Risk, RiskFields};
use crate::db::users;
use crate::domain::date::parse_optional_date;
use crate::domain::graph::NodeKind;
use crate::domain::plan::workflow::next_review;
use crate::domain::risk::method::{RiskMethod, ScaleStep};
use crate::domain::risk::register::{Scores, Treatment};
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::form::FieldErrors;
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::picker::{MultiPicker, multi};
use crate::web::record::{self, RecordForm};
use sqlx::PgConnection;

const MAX_TEXT: usize = 5000;

#[derive(Deserialize, Default, Clone)]
pub struct RiskForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    threat: String,
    #[serde(default)]
    vulnerability: String,
    #[serde(default)]
    cause: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    consequence: String,
    /// What the risk bears on (catalogue node ids), with the picker's search and Find button.
    #[serde(default)]
    node: Vec<String>,
    #[serde(default)]
    pick: String,
    #[serde(default)]
    find: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    inherent_likelihood: String,
    #[serde(default)]
    inherent_impact: String,
    #[serde(default)]
    residual_likelihood: String,
    #[serde(default)]
    residual_impact: String,
    #[serde(default)]
    measure: Vec<String>,
    #[serde(default)]
    treatment: String,
    #[serde(default)]
    treatment_note: String,
    #[serde(default)]
    review_due: String,
    #[serde(default)]
    version: i32,
}

fn text(value: Option<u8>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

impl RiskForm {
    fn from_risk(risk: &Risk, scope: &[Uuid], measures: &[Uuid]) -> Self {
        let scores = risk.scores();
        Self {
            title: risk.title.clone(),
            threat: risk.threat_id.map(|id| id.to_string()).unwrap_or_default(),
            vulnerability: risk.vulnerability.clone(),
            cause: risk.cause.clone(),
            event: risk.event.clone(),
            consequence: risk.consequence.clone(),
            node: scope.iter().map(Uuid::to_string).collect(),
            owner: risk.owner_id.map(|id| id.to_string()).unwrap_or_default(),
            inherent_likelihood: scores.inherent_likelihood.to_string(),
            inherent_impact: scores.inherent_impact.to_string(),
            residual_likelihood: text(scores.residual_likelihood),
            residual_impact: text(scores.residual_impact),
            measure: measures.iter().map(Uuid::to_string).collect(),
            treatment: risk.treatment.clone().unwrap_or_default(),
            treatment_note: risk.treatment_note.clone(),
            review_due: risk
                .review_due
                .map(|date| date.to_string())
                .unwrap_or_default(),
            version: risk.version,
            ..Self::default()
        }
    }
}

/// What the form chooses from.
pub struct Choices {
    method: RiskMethod,
    threats: Vec<Threat>,
    measures: Vec<Measure>,
    owners: Vec<(Uuid, String)>,
    scope: MultiPicker,
}

/// Owners record risks on their own services only; managers on any service, component or site.
/// What the risk already names (its scope, threat and measures) stays offered even when
/// archived since, so an unrelated edit does not drop it.
async fn choices(
    state: &AppState,
    user: &CurrentUser,
    form: &RiskForm,
    existing: Option<&Risk>,
) -> AppResult<Choices> {
    let (keep, threat, linked) = match existing {
        Some(risk) => (
            records::scope(&state.db, risk.id).await?,
            risk.threat_id,
            records::measures(&state.db, risk.id).await?,
        ),
        None => (Vec::new(), None, Vec::new()),
    };
    let owner_only = !user.role.manages_continuity();
    let kinds: &[NodeKind] = if owner_only {
        &[NodeKind::Service]
    } else {
        &[
            NodeKind::Service,
            NodeKind::Component,
            NodeKind::Site,
            NodeKind::Contract,
        ]
    };
    let scope = MultiPicker::build(
        state,
        "node",
        kinds,
        owner_only.then_some(user.id),
        (&multi::ids(&form.node), &keep),
        &form.pick,
    )
    .await?;
    Ok(Choices {
        method: method::current(&state.db).await?.0,
        threats: catalogues::threats(&state.db, true)
            .await?
            .into_iter()
            .filter(|entry| !entry.archived || Some(entry.id) == threat)
            .collect(),
        measures: catalogues::measures(&state.db, true)
            .await?
            .into_iter()
            .filter(|entry| !entry.archived || linked.contains(&entry.id))
            .collect(),
        owners: users::owner_options(&state.db).await?,
        scope,
    })
}

fn score(steps: &[ScaleStep], value: &str) -> Option<u8> {
    let value: u8 = value.trim().parse().ok()?;
    steps
        .iter()
        .any(|step| step.value == value)
        .then_some(value)
}

fn check(
    form: &RiskForm,
    user: &CurrentUser,
    choices: &Choices,
    existing: Option<&Risk>,
    today: Date,
) -> Result<RiskFields, FieldErrors> {
    let mut errors = FieldErrors::default();
    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        errors.add(
            "title",
            "Name the risk in a few words, e.g. “Loss of the primary data centre” (at most 200 characters).",
        );
    }
    let threat = match form.threat.trim() {
        "" => None,
        value => {
            let found = choices
                .threats
                .iter()
                .find(|threat| threat.id.to_string() == value);
            if found.is_none() {
                errors.add("threat", "Choose a threat from the catalogue.");
            }
            found.map(|threat| threat.id)
        }
    };
    for (field, value) in [
        ("vulnerability", &form.vulnerability),
        ("cause", &form.cause),
        ("event", &form.event),
        ("consequence", &form.consequence),
        ("treatment_note", &form.treatment_note),
    ] {
        if value.chars().count() > MAX_TEXT {
            errors.add(field, format!("Keep this under {MAX_TEXT} characters."));
        }
    }
    let scope = choices.scope.chosen_ids();
    if scope.len() < multi::ids(&form.node).len() {
        errors.add(
            "node",
            if user.role.manages_continuity() {
                "Choose active services, components, sites or contracts: one of those ticked is archived or unknown."
            } else {
                "Choose among your own services: owners record risks on the services they own."
            },
        );
    } else if scope.is_empty() {
        errors.add(
            "node",
            "Choose what the risk bears on: at least one service, component, site or contract.",
        );
    }
    let owner = if user.role == Role::ServiceOwner && !user.role.manages_continuity() {
        Some(user.id)
    } else {
        match choices
            .owners
            .iter()
            .find(|(id, _)| id.to_string() == form.owner.trim())
        {
            Some((id, _)) => Some(*id),
            None => {
                errors.add("owner", "Choose who owns the risk.");
                None
            }
        }
    };
    let method = &choices.method;
    let inherent_likelihood = score(&method.likelihood, &form.inherent_likelihood);
    let inherent_impact = score(&method.impact, &form.inherent_impact);
    if inherent_likelihood.is_none() {
        errors.add(
            "inherent_likelihood",
            "Choose the likelihood before any measure.",
        );
    }
    if inherent_impact.is_none() {
        errors.add("inherent_impact", "Choose the impact before any measure.");
    }
    let residual = match (form.residual_likelihood.trim(), form.residual_impact.trim()) {
        ("", "") => Some((None, None)),
        (likelihood, impact) => {
            match (
                score(&method.likelihood, likelihood),
                score(&method.impact, impact),
            ) {
                (Some(l), Some(i)) => Some((Some(l), Some(i))),
                _ => {
                    errors.add(
                        "residual",
                        "Give both the residual likelihood and impact (with the measures in place), or neither.",
                    );
                    None
                }
            }
        }
    };
    let mut measures = Vec::new();
    for value in &form.measure {
        match choices
            .measures
            .iter()
            .find(|measure| measure.id.to_string() == *value)
        {
            Some(measure) => measures.push(measure.id),
            None => errors.add("measure", "Choose measures from the catalogue."),
        }
    }
    measures.sort_unstable();
    measures.dedup();
    let treatment = match form.treatment.trim() {
        "" => None,
        value => {
            let parsed = Treatment::parse(value);
            if parsed.is_none() {
                errors.add("treatment", "Choose reduce, transfer, avoid or accept.");
            }
            parsed
        }
    };
    let review_due = parse_optional_date(&form.review_due)
        .map_err(|error| {
            errors.add(
                "review_due",
                format!("Enter the review date as a date. {error}"),
            )
        })
        .ok()
        .flatten();
    let (Some(il), Some(ii), Some((rl, ri))) = (inherent_likelihood, inherent_impact, residual)
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let scores = Scores {
        inherent_likelihood: il,
        inherent_impact: ii,
        residual_likelihood: rl,
        residual_impact: ri,
    };
    let level = scores.current(method).map_or(0, |scored| scored.level);
    // A review date left as it was follows a new level (an Extreme risk is reviewed sooner).
    let follows_level = existing.is_some_and(|risk| {
        risk.review_due.map(|date| date.to_string()) == Some(form.review_due.trim().to_owned())
            && i16::from(level) != risk.current_level
    });
    let review_due = if follows_level { None } else { review_due };
    Ok(RiskFields {
        title: title.to_owned(),
        threat_id: threat,
        vulnerability: form.vulnerability.clone(),
        cause: form.cause.clone(),
        event: form.event.clone(),
        consequence: form.consequence.clone(),
        owner_id: owner,
        scores,
        treatment: treatment.map(|treatment| treatment.as_str().to_owned()),
        treatment_note: form.treatment_note.clone(),
        review_due: Some(
            review_due.unwrap_or_else(|| next_review(today, method.review_months(level))),
        ),
        scope,
        measures,
    })
}

pub struct MeasureChoice {
    id: String,
    name: String,
    kind: &'static str,
    status: &'static str,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "risks/form.html")]
pub struct RiskFormPage {
    ctx: PageContext,
    form: RiskForm,
    errors: FieldErrors,
    threats: Vec<OptionView>,
    owners: Vec<OptionView>,
    owner_only: bool,
    inherent_likelihood: Vec<OptionView>,
    inherent_impact: Vec<OptionView>,
    residual_likelihood: Vec<OptionView>,
    residual_impact: Vec<OptionView>,
    measures: Vec<MeasureChoice>,
    treatments: Vec<OptionView>,
    scope: MultiPicker,
    action: String,
    is_new: bool,
}

fn steps(steps: &[ScaleStep], selected: &str) -> Vec<OptionView> {
    steps
        .iter()
        .map(|step| OptionView {
            value: step.value.to_string(),
            label: format!("{} {} — {}", step.value, step.name, step.meaning),
            help: "",
            selected: step.value.to_string() == selected.trim(),
        })
        .collect()
}

fn page(
    user: &CurrentUser,
    form: RiskForm,
    errors: FieldErrors,
    choices: Choices,
    existing: Option<&Risk>,
) -> RiskFormPage {
    let title = existing.map_or("New risk".to_owned(), |risk| {
        format!("Edit {} {}", risk.reference(), risk.title)
    });
    let mut ctx = PageContext::new(user, Area::Risks, title).crumb("Risks", "/risks");
    if let Some(risk) = existing {
        ctx = ctx.crumb(risk.reference(), format!("/risks/{}", risk.id));
    }
    let method = &choices.method;
    let threats: Vec<(Uuid, String)> = choices
        .threats
        .iter()
        .map(|threat| (threat.id, threat.name.clone()))
        .collect();
    RiskFormPage {
        ctx: ctx.here(if existing.is_some() {
            "Edit"
        } else {
            "New risk"
        }),
        threats: choices::from_rows(&threats, &form.threat),
        owners: choices::from_rows(&choices.owners, &form.owner),
        owner_only: !user.role.manages_continuity(),
        inherent_likelihood: steps(&method.likelihood, &form.inherent_likelihood),
        inherent_impact: steps(&method.impact, &form.inherent_impact),
        residual_likelihood: steps(&method.likelihood, &form.residual_likelihood),
        residual_impact: steps(&method.impact, &form.residual_impact),
        measures: choices
            .measures
            .iter()
            .map(|measure| MeasureChoice {
                checked: form.measure.contains(&measure.id.to_string()),
                id: measure.id.to_string(),
                name: measure.name.clone(),
                kind: crate::domain::risk::catalogue::MeasureType::parse(&measure.measure_type)
                    .map_or("", |kind| kind.label()),
                status: crate::domain::risk::catalogue::MeasureStatus::parse(&measure.status)
                    .map_or("", |status| status.label()),
            })
            .collect(),
        treatments: Treatment::ALL
            .iter()
            .map(|treatment| OptionView {
                value: treatment.as_str().to_owned(),
                label: treatment.label().to_owned(),
                help: "",
                selected: form.treatment == treatment.as_str(),
            })
            .collect(),
        scope: choices.scope,
        action: existing.map_or("/risks".to_owned(), |risk| format!("/risks/{}", risk.id)),
        is_new: existing.is_none(),
        form,
        errors,
    }
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// The risk register's form, on the shared create / edit machinery.
pub struct RiskRecords;

impl RecordForm for RiskRecords {
    type Form = RiskForm;
    type Record = Risk;
    type Choices = Choices;
    type Fields = RiskFields;
    type Page = RiskFormPage;

    async fn choices(
        state: &AppState,
        user: &CurrentUser,
        form: &RiskForm,
        existing: Option<&Risk>,
    ) -> AppResult<Choices> {
        choices(state, user, form, existing).await
    }

    fn finding(form: &RiskForm) -> bool {
        !form.find.is_empty()
    }

    fn check(
        form: &RiskForm,
        user: &CurrentUser,
        choices: &Choices,
        existing: Option<&Risk>,
    ) -> Result<RiskFields, FieldErrors> {
        check(form, user, choices, existing, today())
    }

    fn page(
        user: &CurrentUser,
        form: RiskForm,
        errors: FieldErrors,
        choices: Choices,
        existing: Option<&Risk>,
    ) -> RiskFormPage {
        page(user, form, errors, choices, existing)
    }

    /// Risk writes hold the method for share, so a method change cannot re-level around them.
    async fn insert(
        conn: &mut PgConnection,
        actor: &Actor,
        fields: &RiskFields,
    ) -> Result<Risk, WriteError> {
        let method = method::current_for_share(conn).await?;
        records::create(conn, actor, &method, fields).await
    }

    async fn update(
        conn: &mut PgConnection,
        actor: &Actor,
        existing: &Risk,
        version: i32,
        fields: &RiskFields,
    ) -> Result<Versioned<Risk>, WriteError> {
        let method = method::current_for_share(conn).await?;
        records::update(conn, actor, &method, existing.id, version, fields).await
    }

    fn version(form: &RiskForm) -> i32 {
        form.version
    }

    fn saved(risk: &Risk, created: bool) -> (String, String) {
        let verb = if created { "recorded" } else { "saved" };
        (
            format!("Risk {} {verb}.", risk.reference()),
            format!("/risks/{}", risk.id),
        )
    }

    fn conflict(user: &CurrentUser, form: &RiskForm, current: &Risk) -> AppResult<Response> {
        conflict(user, form, current)
    }
}

pub async fn new(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
) -> AppResult<Response> {
    let form = RiskForm {
        owner: user.id.to_string(),
        ..RiskForm::default()
    };
    record::new_page::<RiskRecords>(&state, &user, form).await
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Form(form): Form<RiskForm>,
) -> AppResult<Response> {
    record::create::<RiskRecords>(&state, &user, form).await
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let risk = match writable(&state, &user, &id).await? {
        Ok(risk) => risk,
        Err(answer) => return Ok(answer),
    };
    let scope = records::scope(&state.db, risk.id).await?;
    let measures = records::measures(&state.db, risk.id).await?;
    let form = RiskForm::from_risk(&risk, &scope, &measures);
    record::edit_page::<RiskRecords>(&state, &user, &risk, form).await
}

pub async fn update(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<RiskForm>,
) -> AppResult<Response> {
    let risk = match writable(&state, &user, &id).await? {
        Ok(risk) => risk,
        Err(answer) => return Ok(answer),
    };
    record::update::<RiskRecords>(&state, &user, risk, form).await
}

fn conflict(user: &CurrentUser, form: &RiskForm, current: &Risk) -> AppResult<Response> {
    let href = format!("/risks/{}", current.id);
    let mut hidden: Vec<(String, String)> = vec![
        ("title".into(), form.title.clone()),
        ("threat".into(), form.threat.clone()),
        ("vulnerability".into(), form.vulnerability.clone()),
        ("cause".into(), form.cause.clone()),
        ("event".into(), form.event.clone()),
        ("consequence".into(), form.consequence.clone()),
        ("owner".into(), form.owner.clone()),
        (
            "inherent_likelihood".into(),
            form.inherent_likelihood.clone(),
        ),
        ("inherent_impact".into(), form.inherent_impact.clone()),
        (
            "residual_likelihood".into(),
            form.residual_likelihood.clone(),
        ),
        ("residual_impact".into(), form.residual_impact.clone()),
        ("treatment".into(), form.treatment.clone()),
        ("treatment_note".into(), form.treatment_note.clone()),
        ("review_due".into(), form.review_due.clone()),
    ];
    hidden.extend(
        form.node
            .iter()
            .map(|value| ("node".to_owned(), value.clone())),
    );
    hidden.extend(
        form.measure
            .iter()
            .map(|value| ("measure".to_owned(), value.clone())),
    );
    let scores = current.scores();
    ConflictPage {
        ctx: PageContext::new(user, Area::Risks, "Someone else saved first")
            .crumb("Risks", "/risks")
            .crumb(current.reference(), href.clone())
            .here("Conflict"),
        subject: format!("the risk {} {}", current.reference(), current.title),
        fields: vec![
            ConflictField::new("Title", &form.title, &current.title),
            ConflictField::new(
                "Inherent",
                format!("{} × {}", form.inherent_likelihood, form.inherent_impact),
                format!(
                    "{} × {}",
                    scores.inherent_likelihood, scores.inherent_impact
                ),
            ),
            ConflictField::new(
                "Residual",
                format!("{} × {}", form.residual_likelihood, form.residual_impact),
                format!(
                    "{} × {}",
                    text(scores.residual_likelihood),
                    text(scores.residual_impact)
                ),
            ),
        ],
        hidden,
        form_action: href.clone(),
        current_version: current.version,
        current_href: href,
    }
    .into_response()
}
