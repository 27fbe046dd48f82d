//! The draft editor's rows as the page shows them: what was typed (kept on a refused save), the
//! message for each row, and a few blank rows for adding more (steps get fresh keys).

use super::draft_form::{DraftForm, RowErrors, at};
use crate::domain::plan::steps::Phase;

const BLANK_SECTIONS: usize = 1;
const BLANK_ROLES: usize = 2;
const BLANK_CALLS: usize = 3;
const BLANK_STEPS: usize = 3;

/// One row of a repeated part of the form, with the message for that row if any.
pub struct Row<T> {
    pub values: T,
    pub error: Option<String>,
}

pub struct SectionRow {
    pub title: String,
    pub body: String,
}

pub struct RoleRow {
    pub name: String,
    pub duties: String,
    pub person: String,
    pub alternate: String,
}

pub struct CallRow {
    pub caller: String,
    pub callee: String,
    pub fallback: String,
}

pub struct StepRow {
    pub key: String,
    pub phase: String,
    pub action: String,
    pub role: String,
    pub duration: String,
    pub after: String,
}

impl DraftForm {
    pub fn section_rows(&self, errors: &RowErrors) -> Vec<Row<SectionRow>> {
        let kept = self.filled_sections();
        let mut rows: Vec<Row<SectionRow>> = kept
            .iter()
            .map(|&i| Row {
                values: SectionRow {
                    title: at(&self.section_title, i).to_owned(),
                    body: self.section_body.get(i).cloned().unwrap_or_default(),
                },
                error: errors.get(&format!("section.{i}")).cloned(),
            })
            .collect();
        for _ in 0..BLANK_SECTIONS {
            rows.push(Row {
                values: SectionRow {
                    title: String::new(),
                    body: String::new(),
                },
                error: None,
            });
        }
        rows
    }

    pub fn role_rows(&self, errors: &RowErrors) -> Vec<Row<RoleRow>> {
        let mut rows: Vec<Row<RoleRow>> = self
            .filled_roles()
            .into_iter()
            .map(|i| Row {
                values: RoleRow {
                    name: at(&self.role_name, i).to_owned(),
                    duties: at(&self.role_duties, i).to_owned(),
                    person: at(&self.role_person, i).to_owned(),
                    alternate: at(&self.role_alternate, i).to_owned(),
                },
                error: errors.get(&format!("role.{i}")).cloned(),
            })
            .collect();
        for _ in 0..BLANK_ROLES {
            rows.push(Row {
                values: RoleRow {
                    name: String::new(),
                    duties: String::new(),
                    person: String::new(),
                    alternate: String::new(),
                },
                error: None,
            });
        }
        rows
    }

    pub fn call_rows(&self, errors: &RowErrors) -> Vec<Row<CallRow>> {
        let mut rows: Vec<Row<CallRow>> = self
            .filled_calls()
            .into_iter()
            .map(|i| Row {
                values: CallRow {
                    caller: at(&self.call_caller, i).to_owned(),
                    callee: at(&self.call_callee, i).to_owned(),
                    fallback: at(&self.call_fallback, i).to_owned(),
                },
                error: errors.get(&format!("call.{i}")).cloned(),
            })
            .collect();
        for _ in 0..BLANK_CALLS {
            rows.push(Row {
                values: CallRow {
                    caller: String::new(),
                    callee: String::new(),
                    fallback: String::new(),
                },
                error: None,
            });
        }
        rows
    }

    /// The steps typed, then blank rows with fresh keys (S4, S5, …) and the recovery phase.
    pub fn step_rows(&self, errors: &RowErrors) -> Vec<Row<StepRow>> {
        let filled = self.filled_steps();
        let mut rows: Vec<Row<StepRow>> = filled
            .iter()
            .map(|&i| Row {
                values: StepRow {
                    key: at(&self.step_key, i).to_owned(),
                    phase: at(&self.step_phase, i).to_owned(),
                    action: at(&self.step_action, i).to_owned(),
                    role: at(&self.step_role, i).to_owned(),
                    duration: at(&self.step_duration, i).to_owned(),
                    after: at(&self.step_after, i).to_owned(),
                },
                error: errors.get(&format!("step.{i}")).cloned(),
            })
            .collect();
        let used: Vec<String> = rows.iter().map(|row| row.values.key.clone()).collect();
        let mut next = 1;
        for _ in 0..BLANK_STEPS {
            while used.contains(&format!("S{next}")) {
                next += 1;
            }
            rows.push(Row {
                values: StepRow {
                    key: format!("S{next}"),
                    phase: Phase::Recovery.as_str().to_owned(),
                    action: String::new(),
                    role: String::new(),
                    duration: String::new(),
                    after: String::new(),
                },
                error: None,
            });
            next += 1;
        }
        rows
    }
}
