//! `GET /people/{id}`: how to reach someone, and the plans that name them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use uuid::Uuid;

use super::rights;
use crate::auth::CurrentUser;
use crate::db::plans::people::{self, Person};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::page::{Area, PageContext};

#[derive(Template, WebTemplate)]
#[template(path = "people/show.html")]
pub struct PersonPage {
    ctx: PageContext,
    person: Person,
    plans: Vec<(Uuid, String)>,
    can_edit: bool,
    /// A service owner who may not change this entry is told why.
    locked_for_owner: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<PersonPage> {
    let person = people::find(&mut *state.db.acquire().await?, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let can_edit = rights::may_edit(&state.db, &user, &person).await?;
    Ok(PersonPage {
        ctx: PageContext::new(&user, Area::People, person.name.clone())
            .crumb("People", "/people")
            .here(person.name.clone()),
        plans: people::plans_naming(&state.db, person.id).await?,
        can_edit,
        locked_for_owner: !can_edit && user.role == Role::ServiceOwner,
        person,
    })
}
