//! The create / edit / archive machinery every register shares — catalogue entries, suppliers,
//! risks, improvement actions and the registers still to come. A register says what differs
//! (its form, choices, checks, page and SQL) by implementing [`RecordForm`]; how a write ends —
//! a refused form kept as typed (422), "Find" re-rendering without saving, the conflict page for
//! a stale edit, a duplicate name on its field, the flash message and the redirect — is written
//! once here.

use std::future::Future;

use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::{PgConnection, Postgres, Transaction};

use crate::auth::CurrentUser;
use crate::db::Versioned;
use crate::db::audit::Actor;
use crate::db::catalogue::WriteError;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};

/// How a form's write ended (see [`conclude`]).
pub enum Written<T> {
    /// Saved and committed; go here.
    Saved(String),
    /// Someone saved first; this is what is stored now.
    Stale(T),
    /// A unique name or external id is taken; the message is on its field.
    Duplicate(FieldErrors),
}

/// Commits a successful write with its flash message, or rolls back and says why not — the
/// same ending for every create and update. `saved` gives the message and the page to show next.
pub async fn conclude<T>(
    mut tx: Transaction<'static, Postgres>,
    user: &CurrentUser,
    outcome: Result<Versioned<T>, WriteError>,
    saved: impl FnOnce(&T) -> (String, String),
) -> AppResult<Written<T>> {
    match outcome {
        Ok(Versioned::Saved(value)) => {
            let (message, href) = saved(&value);
            flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
            tx.commit().await?;
            Ok(Written::Saved(href))
        }
        Ok(Versioned::Stale(current)) => {
            tx.rollback().await?;
            Ok(Written::Stale(current))
        }
        Err(WriteError::Duplicate { field, message }) => {
            let mut errors = FieldErrors::default();
            errors.add(field, message);
            Ok(Written::Duplicate(errors))
        }
        Err(WriteError::Database(error)) => Err(error.into()),
    }
}

/// What differs between one register's form and another's. [`new_page`], [`create`],
/// [`edit_page`] and [`update`] do the rest.
pub trait RecordForm: Sized + Send + Sync + 'static {
    /// What the browser posts: plain strings, so nothing typed is lost to parsing.
    type Form: Send + Sync;
    /// The stored record.
    type Record: Send + Sync;
    /// What the form chooses from, read per request.
    type Choices: Send + Sync;
    /// What a form that passed its checks sets.
    type Fields: Send + Sync;
    /// The form page.
    type Page: IntoResponse;

    /// What the form offers; `existing` is the record being edited (what it already names stays
    /// offered even when archived since).
    fn choices<'a>(
        state: &'a AppState,
        user: &'a CurrentUser,
        form: &'a Self::Form,
        existing: Option<&'a Self::Record>,
    ) -> impl Future<Output = AppResult<Self::Choices>> + Send + 'a;

    /// The form asks for its pickers to search again ("Find") rather than to save.
    fn finding(_form: &Self::Form) -> bool {
        false
    }

    fn check(
        form: &Self::Form,
        user: &CurrentUser,
        choices: &Self::Choices,
        existing: Option<&Self::Record>,
    ) -> Result<Self::Fields, FieldErrors>;

    fn page(
        user: &CurrentUser,
        form: Self::Form,
        errors: FieldErrors,
        choices: Self::Choices,
        existing: Option<&Self::Record>,
    ) -> Self::Page;

    fn insert<'a>(
        conn: &'a mut PgConnection,
        actor: &'a Actor,
        fields: &'a Self::Fields,
    ) -> impl Future<Output = Result<Self::Record, WriteError>> + Send + 'a;

    fn update<'a>(
        conn: &'a mut PgConnection,
        actor: &'a Actor,
        existing: &'a Self::Record,
        version: i32,
        fields: &'a Self::Fields,
    ) -> impl Future<Output = Result<Versioned<Self::Record>, WriteError>> + Send + 'a;

    /// The version the form was loaded at (a stale one gets the conflict page).
    fn version(form: &Self::Form) -> i32;

    /// The flash message after saving, and the page to go to.
    fn saved(record: &Self::Record, created: bool) -> (String, String);

    /// The 409 page when someone else saved first.
    fn conflict(
        user: &CurrentUser,
        form: &Self::Form,
        current: &Self::Record,
    ) -> AppResult<Response>;
}

/// The empty (or pre-filled) form for a new record.
pub async fn new_page<R: RecordForm>(
    state: &AppState,
    user: &CurrentUser,
    form: R::Form,
) -> AppResult<Response> {
    let choices = R::choices(state, user, &form, None).await?;
    Ok(R::page(user, form, FieldErrors::default(), choices, None).into_response())
}

/// The form filled from `existing`.
pub async fn edit_page<R: RecordForm>(
    state: &AppState,
    user: &CurrentUser,
    existing: &R::Record,
    form: R::Form,
) -> AppResult<Response> {
    let choices = R::choices(state, user, &form, Some(existing)).await?;
    Ok(R::page(user, form, FieldErrors::default(), choices, Some(existing)).into_response())
}

/// Checks and saves a new record, or shows the form again with what was typed.
pub async fn create<R: RecordForm>(
    state: &AppState,
    user: &CurrentUser,
    form: R::Form,
) -> AppResult<Response> {
    let choices = R::choices(state, user, &form, None).await?;
    if R::finding(&form) {
        return Ok(R::page(user, form, FieldErrors::default(), choices, None).into_response());
    }
    let fields = match R::check(&form, user, &choices, None) {
        Ok(fields) => fields,
        Err(errors) => return Ok(form::rejected(R::page(user, form, errors, choices, None))),
    };
    let mut tx = state.db.begin().await?;
    let outcome = R::insert(&mut tx, &user.actor(), &fields)
        .await
        .map(Versioned::Saved);
    match conclude(tx, user, outcome, |record| R::saved(record, true)).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Duplicate(errors) => {
            Ok(form::rejected(R::page(user, form, errors, choices, None)))
        }
        Written::Stale(_) => Err(AppError::NotFound),
    }
}

/// Checks and saves an edit of `existing`, or shows the form again, or the conflict page.
pub async fn update<R: RecordForm>(
    state: &AppState,
    user: &CurrentUser,
    existing: R::Record,
    form: R::Form,
) -> AppResult<Response> {
    let choices = R::choices(state, user, &form, Some(&existing)).await?;
    if R::finding(&form) {
        return Ok(
            R::page(user, form, FieldErrors::default(), choices, Some(&existing)).into_response(),
        );
    }
    let fields = match R::check(&form, user, &choices, Some(&existing)) {
        Ok(fields) => fields,
        Err(errors) => {
            return Ok(form::rejected(R::page(
                user,
                form,
                errors,
                choices,
                Some(&existing),
            )));
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome = R::update(
        &mut tx,
        &user.actor(),
        &existing,
        R::version(&form),
        &fields,
    )
    .await;
    match conclude(tx, user, outcome, |record| R::saved(record, false)).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => R::conflict(user, &form, &current),
        Written::Duplicate(errors) => Ok(form::rejected(R::page(
            user,
            form,
            errors,
            choices,
            Some(&existing),
        ))),
    }
}

/// The body of an archive button: `archived=false` restores.
#[derive(Deserialize, Default)]
pub struct ArchiveForm {
    #[serde(default)]
    pub archived: String,
}

impl ArchiveForm {
    pub fn archives(&self) -> bool {
        self.archived != "false"
    }
}

/// What to say after archiving or restoring `subject` ("Risk R-0003", "Contract C-12").
pub struct ArchiveWords {
    pub subject: String,
    /// What archiving means for this kind of record, after "archived: ".
    pub consequence: &'static str,
}

/// Ends an archive or restore: `changed` is whether anything changed (archiving twice changes
/// and audits once). A restore that meets an active namesake is refused and rolled back.
pub async fn conclude_archive(
    state: &AppState,
    mut tx: Transaction<'static, Postgres>,
    user: &CurrentUser,
    archived: bool,
    changed: Result<bool, WriteError>,
    words: ArchiveWords,
    href: &str,
) -> AppResult<Response> {
    let message = match changed {
        Ok(true) if archived => format!("{} archived: {}", words.subject, words.consequence),
        Ok(true) => format!("{} restored.", words.subject),
        Ok(false) => format!(
            "{} was {} already.",
            words.subject,
            if archived { "archived" } else { "active" }
        ),
        Err(WriteError::Duplicate { message, .. }) => {
            tx.rollback().await?;
            return notice(
                state,
                user,
                Flash::error(format!("Not restored: {message} Rename one of them first.")),
                href,
            )
            .await;
        }
        Err(WriteError::Database(error)) => return Err(error.into()),
    };
    flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
    tx.commit().await?;
    Ok(Redirect::to(href).into_response())
}

/// Goes to `href` with `flash` shown there: e.g. an archived record's page saying to restore it
/// first, where its edit form was asked for.
pub async fn notice(
    state: &AppState,
    user: &CurrentUser,
    flash: Flash,
    href: &str,
) -> AppResult<Response> {
    flash::set(&state.db, &user.session_token_hash, flash).await?;
    Ok(Redirect::to(href).into_response())
}
