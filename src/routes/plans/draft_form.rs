//! The draft editor's form: every part of a plan as rows of plain strings, so whatever the author
//! typed comes back on a refused save. Rows left blank are dropped; a few blank rows are always
//! offered for adding more. Checking turns the strings into [`PlanContent`] or says, row by row,
//! what is wrong.

use std::collections::HashMap;

use serde::Deserialize;
use uuid::Uuid;

use crate::domain::bia::method::duration_label;
use crate::domain::duration::Duration;
use crate::domain::plan::call_tree::arrange;
use crate::domain::plan::content::{Call, Invocation, PlanContent, Role, Section};
use crate::domain::plan::steps::{Phase, Step, schedule};
use crate::web::form::FieldErrors;

const MAX_TEXT: usize = 20_000;
const MAX_LINE: usize = 500;

#[derive(Deserialize, Default, Clone)]
pub struct DraftForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub service: Vec<String>,
    /// The services picker's search text, and whether its Find button sent the form (then
    /// nothing is saved: the form comes back with more services to tick).
    #[serde(default)]
    pub pick: String,
    #[serde(default)]
    pub find: String,
    #[serde(default)]
    pub section_title: Vec<String>,
    #[serde(default)]
    pub section_body: Vec<String>,
    #[serde(default)]
    pub criteria: String,
    #[serde(default)]
    pub authority: String,
    #[serde(default)]
    pub successor: String,
    #[serde(default)]
    pub role_name: Vec<String>,
    #[serde(default)]
    pub role_duties: Vec<String>,
    #[serde(default)]
    pub role_person: Vec<String>,
    #[serde(default)]
    pub role_alternate: Vec<String>,
    #[serde(default)]
    pub call_caller: Vec<String>,
    #[serde(default)]
    pub call_callee: Vec<String>,
    #[serde(default)]
    pub call_fallback: Vec<String>,
    #[serde(default)]
    pub step_key: Vec<String>,
    #[serde(default)]
    pub step_phase: Vec<String>,
    #[serde(default)]
    pub step_action: Vec<String>,
    #[serde(default)]
    pub step_role: Vec<String>,
    #[serde(default)]
    pub step_duration: Vec<String>,
    #[serde(default)]
    pub step_after: Vec<String>,
    /// The draft's number when the form was opened, so a form left open cannot land on a later
    /// draft (absent from old clients: then only `version` guards).
    #[serde(default)]
    pub number: Option<i32>,
    #[serde(default)]
    pub version: i32,
}

pub(super) fn at(values: &[String], index: usize) -> &str {
    values.get(index).map_or("", |value| value.trim())
}

fn id_text(id: Option<Uuid>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

/// What the checks found, by row (`"step.2"`) or by part (`"steps"`).
pub type RowErrors = HashMap<String, String>;

/// A plan title: required, at most 200 characters (new plans and drafts alike).
pub(super) fn check_title(title: &str, errors: &mut FieldErrors) {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        errors.add("title", "Give the plan a title (at most 200 characters).");
    }
}

/// The ticked services, each one of the `offered`; anything else is refused with a message.
pub(super) fn chosen_services(
    ticked: &[String],
    offered: &[(Uuid, String)],
    errors: &mut FieldErrors,
) -> Vec<Uuid> {
    let mut chosen = Vec::new();
    for value in ticked {
        match offered.iter().find(|(id, _)| id.to_string() == *value) {
            Some((id, _)) => chosen.push(*id),
            None => errors.add("service", "Choose among the listed services."),
        }
    }
    chosen
}

impl DraftForm {
    pub fn from_content(title: &str, content: &PlanContent, number: i32, version: i32) -> Self {
        Self {
            title: title.to_owned(),
            service: content.services.iter().map(Uuid::to_string).collect(),
            pick: String::new(),
            find: String::new(),
            section_title: content.sections.iter().map(|s| s.title.clone()).collect(),
            section_body: content.sections.iter().map(|s| s.body.clone()).collect(),
            criteria: content.invocation.criteria.clone(),
            authority: id_text(content.invocation.authority),
            successor: id_text(content.invocation.successor),
            role_name: content.roles.iter().map(|r| r.name.clone()).collect(),
            role_duties: content.roles.iter().map(|r| r.duties.clone()).collect(),
            role_person: content.roles.iter().map(|r| id_text(r.person)).collect(),
            role_alternate: content.roles.iter().map(|r| id_text(r.alternate)).collect(),
            call_caller: content
                .call_tree
                .iter()
                .map(|c| c.caller.to_string())
                .collect(),
            call_callee: content
                .call_tree
                .iter()
                .map(|c| c.callee.to_string())
                .collect(),
            call_fallback: content
                .call_tree
                .iter()
                .map(|c| c.if_unreachable.clone())
                .collect(),
            step_key: content.steps.iter().map(|s| s.id.clone()).collect(),
            step_phase: content
                .steps
                .iter()
                .map(|s| s.phase.as_str().to_owned())
                .collect(),
            step_action: content.steps.iter().map(|s| s.action.clone()).collect(),
            step_role: content.steps.iter().map(|s| s.role.clone()).collect(),
            step_duration: content
                .steps
                .iter()
                .map(|s| duration_label(s.duration))
                .collect(),
            step_after: content
                .steps
                .iter()
                .map(|s| s.predecessors.join(", "))
                .collect(),
            number: Some(number),
            version,
        }
    }

    pub(super) fn filled_sections(&self) -> Vec<usize> {
        (0..self.section_title.len().max(self.section_body.len()))
            .filter(|&i| {
                !at(&self.section_title, i).is_empty() || !at(&self.section_body, i).is_empty()
            })
            .collect()
    }

    pub(super) fn filled_roles(&self) -> Vec<usize> {
        (0..self.role_name.len())
            .filter(|&i| {
                [
                    &self.role_name,
                    &self.role_duties,
                    &self.role_person,
                    &self.role_alternate,
                ]
                .iter()
                .any(|values| !at(values, i).is_empty())
            })
            .collect()
    }

    pub(super) fn filled_calls(&self) -> Vec<usize> {
        (0..self.call_caller.len().max(self.call_callee.len()))
            .filter(|&i| {
                [&self.call_caller, &self.call_callee, &self.call_fallback]
                    .iter()
                    .any(|values| !at(values, i).is_empty())
            })
            .collect()
    }

    /// A step row counts when anything but its pre-filled key and phase was typed.
    pub(super) fn filled_steps(&self) -> Vec<usize> {
        (0..self.step_key.len())
            .filter(|&i| {
                [
                    &self.step_action,
                    &self.step_role,
                    &self.step_duration,
                    &self.step_after,
                ]
                .iter()
                .any(|values| !at(values, i).is_empty())
            })
            .collect()
    }

    /// The content the form describes, or the messages saying what to fix. `services` and
    /// `people` are the choices offered, so nothing else can be smuggled in.
    pub fn check(
        &self,
        services: &[(Uuid, String)],
        people: &[(Uuid, String)],
    ) -> Result<PlanContent, (FieldErrors, RowErrors)> {
        let mut errors = FieldErrors::default();
        let mut rows = RowErrors::new();
        check_title(&self.title, &mut errors);
        let chosen_services = chosen_services(&self.service, services, &mut errors);
        let person = |value: &str, field: &str, errors: &mut FieldErrors| -> Option<Uuid> {
            if value.is_empty() {
                return None;
            }
            let found = people
                .iter()
                .find(|(id, _)| id.to_string() == value)
                .map(|(id, _)| *id);
            if found.is_none() {
                errors.add(field, "Choose someone from the directory.");
            }
            found
        };
        let invocation = Invocation {
            criteria: self.criteria.trim().to_owned(),
            authority: person(self.authority.trim(), "authority", &mut errors),
            successor: person(self.successor.trim(), "successor", &mut errors),
        };
        if invocation.criteria.chars().count() > MAX_TEXT {
            errors.add(
                "criteria",
                "Keep the invocation criteria under 20 000 characters.",
            );
        }
        if invocation.authority.is_some() && invocation.authority == invocation.successor {
            errors.add(
                "successor",
                "The successor must be someone other than the invocation authority.",
            );
        }

        let mut sections = Vec::new();
        for i in self.filled_sections() {
            let section = Section {
                title: at(&self.section_title, i).to_owned(),
                body: at(&self.section_body, i).to_owned(),
            };
            if section.title.is_empty() {
                rows.insert(
                    format!("section.{i}"),
                    "Give this section a heading.".into(),
                );
            } else if section.title.chars().count() > 200 || section.body.chars().count() > MAX_TEXT
            {
                rows.insert(
                    format!("section.{i}"),
                    "Keep headings under 200 characters and sections under 20 000.".into(),
                );
            } else if sections.iter().any(|s: &Section| s.title == section.title) {
                rows.insert(
                    format!("section.{i}"),
                    "Another section has this heading.".into(),
                );
            }
            sections.push(section);
        }

        let mut roles: Vec<Role> = Vec::new();
        for i in self.filled_roles() {
            let mut scratch = FieldErrors::default();
            let role = Role {
                name: at(&self.role_name, i).to_owned(),
                duties: at(&self.role_duties, i).to_owned(),
                person: person(at(&self.role_person, i), "role", &mut scratch),
                alternate: person(at(&self.role_alternate, i), "role", &mut scratch),
            };
            let problem = if role.name.is_empty() {
                Some("Name this role.".to_owned())
            } else if role.name.chars().count() > 100 || role.duties.chars().count() > MAX_LINE {
                Some("Keep role names under 100 characters and duties under 500.".to_owned())
            } else if roles.iter().any(|r| r.name == role.name) {
                Some("Another role has this name.".to_owned())
            } else if role.person.is_some() && role.person == role.alternate {
                Some("The alternate must be someone other than the person.".to_owned())
            } else {
                scratch.messages().first().map(|m| (*m).to_owned())
            };
            if let Some(problem) = problem {
                rows.insert(format!("role.{i}"), problem);
            }
            roles.push(role);
        }

        let mut call_tree = Vec::new();
        let mut call_rows = Vec::new();
        for i in self.filled_calls() {
            let mut scratch = FieldErrors::default();
            let caller = person(at(&self.call_caller, i), "call", &mut scratch);
            let callee = person(at(&self.call_callee, i), "call", &mut scratch);
            let fallback = at(&self.call_fallback, i).to_owned();
            match (caller, callee) {
                (Some(caller), Some(callee))
                    if scratch.is_empty() && fallback.chars().count() <= MAX_LINE =>
                {
                    call_rows.push(i);
                    call_tree.push(Call {
                        caller,
                        callee,
                        if_unreachable: fallback,
                    });
                }
                _ => {
                    rows.insert(
                        format!("call.{i}"),
                        "Choose who calls and who is called (and keep the note under 500 characters).".into(),
                    );
                }
            }
        }
        if let Err(error) = arrange(&call_tree) {
            rows.insert("calls".into(), error.to_string());
        }

        let mut steps = Vec::new();
        for i in self.filled_steps() {
            let key = at(&self.step_key, i).to_owned();
            let duration = Duration::parse(at(&self.step_duration, i));
            let phase = Phase::parse(at(&self.step_phase, i));
            let role = at(&self.step_role, i).to_owned();
            let action = at(&self.step_action, i).to_owned();
            let problem = if key.is_empty()
                || key.chars().count() > 20
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            {
                Some("Give the step a short key such as S4 (letters, digits, - _ .).".to_owned())
            } else if action.is_empty() || action.chars().count() > MAX_LINE {
                Some("Say what to do (at most 500 characters).".to_owned())
            } else if role.is_empty() {
                Some("Say which role is responsible.".to_owned())
            } else if !roles.is_empty() && !roles.iter().any(|r| r.name == role) {
                Some(format!("There is no role called “{role}” in this plan."))
            } else if phase.is_none() {
                Some("Choose the phase.".to_owned())
            } else if let Err(error) = &duration {
                Some(format!("Duration: {error}."))
            } else {
                None
            };
            if let Some(problem) = problem {
                rows.insert(format!("step.{i}"), problem);
            }
            steps.push(Step {
                id: key,
                phase: phase.unwrap_or(Phase::Recovery),
                action,
                role,
                duration: duration.unwrap_or(Duration::ZERO),
                predecessors: at(&self.step_after, i)
                    .split([',', ' '])
                    .map(str::trim)
                    .filter(|key| !key.is_empty())
                    .map(str::to_owned)
                    .collect(),
            });
        }
        if let Err(error) = schedule(&steps) {
            rows.insert("steps".into(), error.to_string());
        }

        for message in rows.values() {
            errors.add(&format!("row {message}"), message.clone());
        }
        if !errors.is_empty() {
            return Err((errors, rows));
        }
        Ok(PlanContent {
            services: chosen_services,
            sections,
            invocation,
            roles,
            call_tree,
            steps,
        })
    }
}

#[cfg(test)]
mod tests;
