//! A picker for several entries at once (the services a plan covers, the scope of an exercise):
//! the chosen ones stay as ticked boxes, and a search below them offers more as unticked boxes.
//! Ticking a match and searching again moves it to the chosen ones, with JavaScript (`GET
//! /pick/multi`, which redraws the boxes but never the search field) and without (the "Find"
//! button sends the whole form back to be shown again, nothing saved). Only what is ticked is
//! sent, so the estate is never listed on a page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use uuid::Uuid;

use super::{MATCHES, PickOption, option, pickable};
use crate::auth::CurrentUser;
use crate::db::catalogue::entries;
use crate::domain::graph::NodeKind;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;

/// What a form's multiple picker shows.
#[derive(Clone)]
pub struct MultiPicker {
    /// The form field each chosen entry's id is sent in, e.g. `service`.
    pub field: &'static str,
    /// The kinds offered, as `/pick/multi` spells them.
    pub kinds: String,
    /// Offers only entries the reader owns (a service owner's plans).
    pub mine: bool,
    pub text: String,
    pub chosen: Vec<PickOption>,
    /// Entries matching the search that are not chosen yet.
    pub matches: Vec<PickOption>,
}

impl MultiPicker {
    /// The picker with `ticked` chosen (unknown, archived and, with `owner`, other people's
    /// entries dropped, except those in `keep`: what is already linked may stay, archived or
    /// not) and the
    /// matches for `text`. With `owner` and nothing typed, it offers the first of the owner's
    /// entries, since those are few.
    pub async fn build(
        state: &AppState,
        field: &'static str,
        kinds: &[NodeKind],
        owner: Option<Uuid>,
        (ticked, keep): (&[Uuid], &[Uuid]),
        text: &str,
    ) -> AppResult<Self> {
        let text = text.trim();
        let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
        let mut chosen: Vec<PickOption> = entries::by_ids(&state.db, ticked)
            .await?
            .into_iter()
            .filter(|entry| {
                keep.contains(&entry.id)
                    || (!entry.archived
                        && kinds.contains(&entry.kind)
                        && owner.is_none_or(|owner| entry.owner_id == Some(owner)))
            })
            .map(|mut entry| {
                // A contract kept ticked in a picker that does not offer contracts (an owner
                // editing a risk a manager scoped to one) shows without its name.
                if entry.kind == NodeKind::Contract && !kinds.contains(&NodeKind::Contract) {
                    crate::auth::contracts::ContractAccess::Only(Default::default())
                        .conceal(&mut entry);
                }
                option(entry)
            })
            .collect();
        chosen.sort_by_key(|entry| entry.name.to_lowercase());
        let chosen_ids: Vec<Uuid> = chosen.iter().map(|entry| entry.id).collect();
        let matches = if text.is_empty() && owner.is_none() {
            Vec::new()
        } else {
            entries::search(&state.db, &names, text, &chosen_ids, owner, MATCHES)
                .await?
                .into_iter()
                .map(option)
                .collect()
        };
        Ok(Self {
            field,
            kinds: names.join(","),
            mine: owner.is_some(),
            text: text.to_owned(),
            chosen,
            matches,
        })
    }

    /// The chosen entries' ids.
    pub fn chosen_ids(&self) -> Vec<Uuid> {
        self.chosen.iter().map(|entry| entry.id).collect()
    }

    /// Whether the search stopped at [`MATCHES`], so typing more may find others.
    pub fn may_have_more(&self) -> bool {
        self.matches.len() as i64 >= MATCHES
    }

    pub fn searched(&self) -> bool {
        !self.text.is_empty()
    }
}

/// The ids among a form's values; anything else is dropped (the form says what counts).
pub fn ids(values: &[String]) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = values
        .iter()
        .filter_map(|value| value.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[derive(Template, WebTemplate)]
#[template(path = "partials/_multi_picker_boxes.html")]
pub struct BoxesFragment {
    picker: MultiPicker,
}

/// `GET /pick/multi`: the chosen boxes and the matches, after a box was ticked or the search
/// changed. The query carries `field`, `kinds`, `mine`, `pick` and the ticked ids under `field`.
pub async fn boxes(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<BoxesFragment> {
    let value = |key: &str| {
        query
            .iter()
            .find(|(name, _)| name == key)
            .map_or("", |(_, value)| value.as_str())
    };
    // The field name goes back into the page: only the names our forms use.
    let field = match value("field") {
        "service" => "service",
        "node" => "node",
        "lost" => "lost",
        _ => "entry",
    };
    let ticked: Vec<String> = query
        .iter()
        .filter(|(name, _)| name == field)
        .map(|(_, value)| value.clone())
        .collect();
    let owner = (value("mine") == "1").then_some(user.id);
    // What is ticked stays ticked: the page may hold entries the owner filter would drop (a
    // plan's services a manager added, archived ones). The form's own handler decides what counts.
    let ticked = ids(&ticked);
    // Contracts are offered only to those who may read every contract.
    let mut kinds = pickable(value("kinds"));
    if user.role.manages_continuity() && value("kinds").split(',').any(|kind| kind == "contract") {
        kinds.push(NodeKind::Contract);
    }
    let picker = MultiPicker::build(
        &state,
        field,
        &kinds,
        owner,
        (&ticked, &ticked),
        value("pick"),
    )
    .await?;
    Ok(BoxesFragment { picker })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ids_count_and_each_once() {
        let a = Uuid::from_u128(1);
        let values = vec![a.to_string(), "x".into(), a.to_string(), String::new()];
        assert_eq!(ids(&values), vec![a]);
    }
}
