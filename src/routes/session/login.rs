//! `GET /login` shows the form; `POST /login` checks the password (throttled), starts a new
//! session and returns the user to the page they asked for.

use askama::Template;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::auth::{known_device, password, session_cookie, throttle};
use crate::db::audit::{self, Actor, Change};
use crate::db::{known_devices, sessions, users};
use crate::domain::login_throttle;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::input::{Form, Query};
use crate::web::page::{PageContext, format_in_zone};
use crate::web::{is_local_path, local_path_or_home};

#[derive(Template)]
#[template(path = "session/login.html")]
struct LoginPage {
    ctx: PageContext,
    email: String,
    next: String,
    error: Option<String>,
    notice: Option<&'static str>,
    demo: Option<DemoHint>,
}

/// What the login page says when the instance runs the demo.
struct DemoHint {
    accounts: Vec<(&'static str, &'static str)>,
    password: Option<String>,
}

fn demo_hint(state: &AppState) -> Option<DemoHint> {
    state.config.demo.as_ref().map(|demo| DemoHint {
        accounts: crate::demo::ACCOUNTS
            .iter()
            .map(|account| (account.email, account.role.label()))
            .collect(),
        password: demo.password_is_default.then(|| demo.password.clone()),
    })
}

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    signed_out: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Query(query): Query<LoginQuery>,
) -> AppResult<Response> {
    let page = LoginPage {
        ctx: PageContext::anonymous("Sign in"),
        email: String::new(),
        next: local_or_empty(&query.next),
        error: None,
        notice: query.signed_out.map(|_| "You have signed out."),
        demo: demo_hint(&state),
    };
    render(StatusCode::OK, page)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let email = form.email.trim().to_lowercase();
    let address = throttle::client_address(&parts, &state);
    let secure = state.config.cookie_secure;
    let now = OffsetDateTime::now_utc();
    let refuse = |status: StatusCode, message: String| {
        render(
            status,
            LoginPage {
                ctx: PageContext::anonymous("Sign in"),
                email: form.email.clone(),
                next: local_or_empty(&form.next),
                error: Some(message),
                notice: None,
                demo: demo_hint(&state),
            },
        )
    };

    let credentials = users::credentials_by_email(&state.db, &email).await?;
    // A browser that has signed in to this account before is throttled on its own key; any
    // other attempt counts against the account and the address.
    let device = known_device::known_for(
        &state.db,
        known_device::from_headers(&parts.headers, secure),
        credentials.as_ref().map(|found| found.id),
    )
    .await?;
    let account_key = throttle::account_key(&email);
    let keys = match &device {
        Some(token) => vec![(throttle::device_key(&token.hash), login_throttle::DEVICE)],
        None => vec![
            (account_key.clone(), login_throttle::ACCOUNT),
            (throttle::address_key(&address), login_throttle::ADDRESS),
        ],
    };
    let attempt = match throttle::admit(&state.db, &keys, now).await? {
        Ok(attempt) => attempt,
        Err(until) => return wait_response(refuse, until, now),
    };

    let stored_hash = credentials
        .as_ref()
        .map(|found| found.password_hash.clone());
    let verified = password::verify(stored_hash, form.password.clone()).await;
    let anonymous = Actor {
        user_id: None,
        label: format!("sign-in from {address}"),
        request_id: crate::auth::extract::request_id(&parts),
    };

    let user = match credentials {
        Some(user) if verified && user.active => user,
        Some(user) if verified => {
            throttle::succeeded(&state.db, attempt, &[]).await?;
            tracing::info!(user.id = %user.id, "deactivated user tried to sign in");
            return refuse(
                StatusCode::FORBIDDEN,
                "This account has been deactivated. Ask an administrator if you need access again."
                    .into(),
            );
        }
        found => {
            let mut conn = state.db.acquire().await?;
            let entity_id = found
                .map(|user| user.id.to_string())
                .unwrap_or_else(|| email.clone());
            audit::record(
                &mut conn,
                &anonymous,
                Change::new("session", entity_id, "sign_in_failed"),
            )
            .await?;
            let mut message =
                String::from("The email or the password is not right. Check both and try again.");
            if let Some(until) = attempt.next_allowed_at() {
                message.push_str(&format!(
                    " After several failed attempts, the next one can be made in {}.",
                    login_throttle::wait_in_words(login_throttle::seconds_until(until, now))
                ));
            }
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, message);
        }
    };

    // A right password from a stranger's browser forgets the account's failures; from a known
    // browser it forgets only that browser's, so an attack on the account keeps being slowed.
    let forget: Vec<&str> = match &device {
        Some(_) => keys.iter().map(|(key, _)| key.as_str()).collect(),
        None => vec![account_key.as_str()],
    };
    throttle::succeeded(&state.db, attempt, &forget).await?;
    let token = session_cookie::new_token();
    let new_device = device.is_none().then(|| known_device::new_cookie(secure));
    let mut tx = state.db.begin().await?;
    // A new session id at every sign-in: an id planted before sign-in is worth nothing.
    if let Some(old_token) = session_cookie::token_from_headers(&parts.headers, secure) {
        sessions::delete(&mut *tx, &session_cookie::token_hash(&old_token)).await?;
    }
    sessions::create(&mut *tx, &session_cookie::token_hash(&token), user.id).await?;
    if let Some((device_hash, _)) = &new_device {
        known_devices::remember(&mut tx, device_hash, user.id).await?;
    }
    let actor = Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        request_id: anonymous.request_id.clone(),
    };
    audit::record(
        &mut tx,
        &actor,
        Change::new("session", user.id, "sign_in").after(&serde_json::json!({
            "address": address,
            "known_browser": device.is_some(),
        })),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user.id = %user.id, "signed in");

    let mut response = Redirect::to(local_path_or_home(&form.next)).into_response();
    set_cookie(
        response.headers_mut(),
        session_cookie::session_cookie(token, secure),
    )?;
    if let Some((_, cookie)) = new_device {
        set_cookie(response.headers_mut(), cookie)?;
    }
    Ok(response)
}

pub fn set_cookie(
    headers: &mut HeaderMap,
    cookie: axum_extra::extract::cookie::Cookie<'static>,
) -> AppResult<()> {
    let value = HeaderValue::from_str(&cookie.to_string())
        .map_err(|error| AppError::Internal(error.into()))?;
    headers.append(header::SET_COOKIE, value);
    Ok(())
}

/// 429 with `Retry-After`: too soon after failed attempts; the password was not looked at.
fn wait_response(
    refuse: impl FnOnce(StatusCode, String) -> AppResult<Response>,
    until: OffsetDateTime,
    now: OffsetDateTime,
) -> AppResult<Response> {
    let seconds = login_throttle::seconds_until(until, now);
    let mut response = refuse(
        StatusCode::TOO_MANY_REQUESTS,
        format!(
            "Too many failed sign-in attempts for this account or from this address: try again in {} (at {} UTC). \
             From a browser you have signed in with before you can sign in now; an administrator can also lift the wait.",
            login_throttle::wait_in_words(seconds),
            format_in_zone(until, &jiff::tz::TimeZone::UTC, "%H:%M:%S"),
        ),
    )?;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    Ok(response)
}

fn local_or_empty(next: &str) -> String {
    if is_local_path(next) {
        next.to_string()
    } else {
        String::new()
    }
}

fn render(status: StatusCode, page: LoginPage) -> AppResult<Response> {
    let html = page.render().map_err(anyhow::Error::from)?;
    Ok((status, Html(html)).into_response())
}
