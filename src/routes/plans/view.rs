//! A plan version as pages show it: people with their contact details, the call tree arranged,
//! the steps scheduled with their critical path and timeline, and the covered services' RTOs
//! checked against the estimated recovery time. Shared by the plan page, the version page and
//! the offline copy, so all three say the same thing.

use std::collections::HashMap;

use uuid::Uuid;

use crate::db::plans::people::Person;
use crate::db::plans::records::CoveredService;
use crate::domain::bia::method::duration_label;
use crate::domain::duration::Duration;
use crate::domain::plan::call_tree::arrange;
use crate::domain::plan::content::PlanContent;
use crate::domain::plan::steps::{fits_rto, schedule};
use crate::domain::plan::timeline::timeline_svg;
use crate::web::markdown;

pub struct PersonView {
    pub name: String,
    pub job_title: String,
    pub organisation: String,
    pub email: String,
    pub office_phone: String,
    pub mobile_phone: String,
}

impl PersonView {
    fn new(id: Uuid, directory: &HashMap<Uuid, Person>) -> Self {
        match directory.get(&id) {
            Some(person) => Self {
                name: person.name.clone(),
                job_title: person.job_title.clone(),
                organisation: person.organisation.clone(),
                email: person.email.clone(),
                office_phone: person.office_phone.clone(),
                mobile_phone: person.mobile_phone.clone(),
            },
            None => Self {
                name: "Someone no longer in the directory".to_owned(),
                job_title: String::new(),
                organisation: String::new(),
                email: String::new(),
                office_phone: String::new(),
                mobile_phone: String::new(),
            },
        }
    }

    /// Job title and organisation in one line, whichever are known.
    pub fn what(&self) -> String {
        [self.job_title.as_str(), self.organisation.as_str()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub struct ServiceLine {
    pub id: Uuid,
    pub name: String,
    pub rto: String,
    pub tier: String,
}

pub struct SectionView {
    pub title: String,
    pub html: String,
}

pub struct RoleView {
    pub name: String,
    pub duties: String,
    pub person: Option<PersonView>,
    pub alternate: Option<PersonView>,
}

pub struct CallView {
    /// 0 for the people who start the cascade; capped for indentation.
    pub depth: usize,
    pub order: usize,
    pub person: PersonView,
    pub caller: String,
    pub if_unreachable: String,
}

pub struct StepView {
    pub id: String,
    pub phase: &'static str,
    pub phase_key: &'static str,
    pub action: String,
    pub role: String,
    pub duration: String,
    pub start: String,
    pub finish: String,
    pub slack: String,
    /// The slack to the return to normal, when it differs from `slack`.
    pub slack_to_normal: Option<String>,
    pub critical: bool,
    pub after: String,
}

pub struct ContentView {
    pub services: Vec<ServiceLine>,
    pub sections: Vec<SectionView>,
    pub criteria_html: String,
    pub authority: Option<PersonView>,
    pub successor: Option<PersonView>,
    pub roles: Vec<RoleView>,
    pub calls: Vec<CallView>,
    pub call_tree_problem: Option<String>,
    pub steps: Vec<StepView>,
    pub schedule_problem: Option<String>,
    /// The estimated recovery time (the service is back), e.g. `6h`, or empty without steps.
    pub total: String,
    /// When the last step, reconstitution included, ends, when that is later.
    pub back_to_normal: String,
    pub critical_path: String,
    /// The steps that decide the return to normal, when reconstitution makes it differ.
    pub path_to_normal: String,
    pub timeline_svg: String,
    pub rto_warnings: Vec<String>,
    /// Everyone the version names, with contact details, for the contact sheet.
    pub contacts: Vec<PersonView>,
}

/// Markdown rendered for a page of the application, or for the self-contained offline file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    Page,
    Offline,
}

fn render(markdown_text: &str, medium: Medium) -> String {
    match medium {
        Medium::Page => markdown::to_safe_html(markdown_text),
        Medium::Offline => markdown::to_self_contained_html(markdown_text),
    }
}

pub fn build(
    content: &PlanContent,
    directory: &HashMap<Uuid, Person>,
    services: &[CoveredService],
    medium: Medium,
) -> ContentView {
    let person = |id: Uuid| PersonView::new(id, directory);
    let services: Vec<&CoveredService> = services
        .iter()
        .filter(|service| content.services.contains(&service.id))
        .collect();
    let timing = timing(content);
    let rto_warnings = timing
        .recovered
        .map(|total| {
            let rtos: Vec<(String, Duration)> = services
                .iter()
                .filter_map(|service| {
                    Some((
                        service.name.clone(),
                        Duration::from_minutes(i64::from(service.rto_minutes?))?,
                    ))
                })
                .collect();
            fits_rto(total, &rtos)
        })
        .unwrap_or_default();
    let (calls, call_tree_problem) = match arrange(&content.call_tree) {
        Ok(rows) => (
            rows.into_iter()
                .map(|row| CallView {
                    depth: row.depth.min(5),
                    order: row.order,
                    caller: row
                        .caller
                        .map(|caller| person(caller).name)
                        .unwrap_or_default(),
                    person: person(row.person),
                    if_unreachable: row.if_unreachable,
                })
                .collect(),
            None,
        ),
        Err(error) => (Vec::new(), Some(error.to_string())),
    };
    ContentView {
        services: services
            .iter()
            .map(|service| ServiceLine {
                id: service.id,
                name: service.name.clone(),
                rto: crate::routes::bia::minutes(service.rto_minutes),
                tier: service
                    .tier_name
                    .clone()
                    .unwrap_or_else(|| "No BIA yet".into()),
            })
            .collect(),
        sections: content
            .sections
            .iter()
            .map(|section| SectionView {
                title: section.title.clone(),
                html: render(&section.body, medium),
            })
            .collect(),
        criteria_html: render(&content.invocation.criteria, medium),
        authority: content.invocation.authority.map(person),
        successor: content.invocation.successor.map(person),
        roles: content
            .roles
            .iter()
            .map(|role| RoleView {
                name: role.name.clone(),
                duties: role.duties.clone(),
                person: role.person.map(person),
                alternate: role.alternate.map(person),
            })
            .collect(),
        calls,
        call_tree_problem,
        steps: timing.steps,
        schedule_problem: timing.problem,
        total: timing.recovered.map(duration_label).unwrap_or_default(),
        back_to_normal: timing
            .back_to_normal
            .filter(|end| Some(*end) > timing.recovered)
            .map(duration_label)
            .unwrap_or_default(),
        critical_path: timing.critical_path,
        path_to_normal: timing.path_to_normal,
        timeline_svg: timing.svg,
        rto_warnings,
        contacts: content.people().into_iter().map(person).collect(),
    }
}

/// The steps scheduled: their rows, the timeline, and when the service is back.
struct Timing {
    steps: Vec<StepView>,
    problem: Option<String>,
    /// When the service is back (the estimated recovery time); `None` without steps.
    recovered: Option<Duration>,
    /// When the last step, reconstitution included, ends.
    back_to_normal: Option<Duration>,
    critical_path: String,
    path_to_normal: String,
    svg: String,
}

fn timing(content: &PlanContent) -> Timing {
    let scheduled = match schedule(&content.steps) {
        Ok(scheduled) => scheduled,
        Err(error) => {
            return Timing {
                steps: Vec::new(),
                problem: Some(error.to_string()),
                recovered: None,
                back_to_normal: None,
                critical_path: String::new(),
                path_to_normal: String::new(),
                svg: String::new(),
            };
        }
    };
    if content.steps.is_empty() {
        return Timing {
            steps: Vec::new(),
            problem: None,
            recovered: None,
            back_to_normal: None,
            critical_path: String::new(),
            path_to_normal: String::new(),
            svg: String::new(),
        };
    }
    let steps = scheduled
        .steps
        .iter()
        .filter_map(|at| {
            let step = content.steps.get(at.index)?;
            Some(StepView {
                id: step.id.clone(),
                phase: step.phase.label(),
                phase_key: step.phase.as_str(),
                action: step.action.clone(),
                role: step.role.clone(),
                duration: duration_label(step.duration),
                start: duration_label(at.start),
                finish: duration_label(at.finish),
                slack: duration_label(at.slack),
                slack_to_normal: (at.slack_to_normal != at.slack)
                    .then(|| duration_label(at.slack_to_normal)),
                critical: at.critical,
                after: step.predecessors.join(", "),
            })
        })
        .collect();
    Timing {
        steps,
        problem: None,
        // A plan of reconstitution alone does not say when the service is back.
        recovered: (!scheduled.critical_path.is_empty()).then_some(scheduled.recovered),
        back_to_normal: Some(scheduled.total),
        critical_path: scheduled.critical_path.join(" → "),
        path_to_normal: if scheduled.path_to_normal == scheduled.critical_path {
            String::new()
        } else {
            scheduled.path_to_normal.join(" → ")
        },
        svg: timeline_svg(&content.steps, &scheduled),
    }
}
