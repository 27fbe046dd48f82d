//! A picker that searches the catalogue instead of listing it: the estate can hold 10 000
//! services and 30 000 components, so a form that needs one of them shows a search box and the
//! few entries whose names match, as radio buttons. With JavaScript the matches follow the typing
//! (`GET /pick`, an htmx fragment); without it, the "Find" button reloads the page with `pick=…`.
//! Nothing is preselected, so a hurried click cannot link the wrong entry.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::catalogue::entries::{self, Entry};
use crate::domain::graph::NodeKind;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;

pub mod multi;
pub use multi::MultiPicker;

/// How many matches a picker shows; typing more narrows them.
pub const MATCHES: i64 = 20;

/// One entry a picker offers.
#[derive(Clone)]
pub struct PickOption {
    pub id: Uuid,
    pub name: String,
    pub kind: &'static str,
    pub archived: bool,
}

/// What a form's picker shows: its search text and the entries it found.
pub struct Picker {
    /// The form field the chosen entry's id goes into, e.g. `to_id`.
    pub field: &'static str,
    /// The kinds offered, as the `kinds` parameter of `/pick` spells them.
    pub kinds: String,
    /// The entry that may not be chosen (the node itself), if any.
    pub except: Option<Uuid>,
    pub text: String,
    pub matches: Vec<PickOption>,
}

impl Picker {
    /// Searches `kinds` for `text`; nothing is searched (or listed) until something is typed.
    pub async fn search(
        state: &AppState,
        field: &'static str,
        kinds: &[NodeKind],
        except: Option<Uuid>,
        text: &str,
    ) -> AppResult<Self> {
        let text = text.trim();
        let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
        let matches = if text.is_empty() {
            Vec::new()
        } else {
            entries::search(&state.db, &names, text, except.as_slice(), None, MATCHES)
                .await?
                .into_iter()
                .map(option)
                .collect()
        };
        Ok(Self {
            field,
            kinds: names.join(","),
            except,
            text: text.to_owned(),
            matches,
        })
    }

    /// Whether the search stopped at [`MATCHES`], so typing more may find others.
    pub fn may_have_more(&self) -> bool {
        self.matches.len() as i64 >= MATCHES
    }

    pub fn searched(&self) -> bool {
        !self.text.is_empty()
    }

    pub fn except_id(&self) -> String {
        self.except.map(|id| id.to_string()).unwrap_or_default()
    }
}

fn option(entry: Entry) -> PickOption {
    PickOption {
        id: entry.id,
        name: entry.name,
        kind: entry.kind.label(),
        archived: entry.archived,
    }
}

/// The kinds a picker may offer: catalogue entries anyone signed in can read anyway.
fn pickable(kinds: &str) -> Vec<NodeKind> {
    kinds
        .split(',')
        .filter_map(NodeKind::parse)
        .filter(|kind| {
            matches!(
                kind,
                NodeKind::Service | NodeKind::Component | NodeKind::Site
            )
        })
        .collect()
}

#[derive(Deserialize)]
pub struct PickQuery {
    #[serde(default)]
    field: String,
    #[serde(default)]
    kinds: String,
    #[serde(default)]
    except: String,
    #[serde(default)]
    pick: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "partials/_picker_matches.html")]
pub struct MatchesFragment {
    picker: Picker,
}

/// `GET /pick`: the matches for what has been typed so far, as the picker's fragment.
pub async fn matches(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<PickQuery>,
) -> AppResult<MatchesFragment> {
    // The field name goes back into the page: only the names our forms use.
    let field = match query.field.as_str() {
        "from_id" => "from_id",
        _ => "to_id",
    };
    let except = query.except.parse().ok();
    let picker =
        Picker::search(&state, field, &pickable(&query.kinds), except, &query.pick).await?;
    Ok(MatchesFragment { picker })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pickers_offer_only_catalogue_entries_anyone_may_read() {
        assert_eq!(
            pickable("service,component,contract,process,bogus"),
            vec![NodeKind::Service, NodeKind::Component]
        );
        assert!(pickable("").is_empty());
    }
}
