//! A plan's history as its page shows it: the workflow's events and, among them, the changes to
//! the contact details of people its approved or in-review versions name.

use time::OffsetDateTime;

use crate::db::plans::contact_changes::ContactChange;
use crate::db::plans::records::PlanEvent;
use crate::web::page::format_in_zone;

pub struct EventView {
    pub when: String,
    pub who: String,
    pub what: String,
    pub comment: String,
}

fn event_label(action: &str) -> &'static str {
    match action {
        "created" => "started the plan",
        "submitted" => "submitted for review",
        "returned" => "returned for changes",
        "approved" => "approved",
        "reviewed" => "reviewed, no change",
        "flagged" => "flagged for review",
        "retired" => "retired the plan",
        "new_version" => "started a new version",
        _ => "changed the plan",
    }
}

fn event_view(event: &PlanEvent, zone: &jiff::tz::TimeZone) -> EventView {
    EventView {
        when: format_in_zone(event.at, zone, "%Y-%m-%d %H:%M"),
        who: event.actor_label.clone(),
        what: match event.version_number {
            Some(number) => format!("{} (v{number})", event_label(&event.action)),
            None => event_label(&event.action).to_owned(),
        },
        comment: event.comment.clone(),
    }
}

/// The plan's events and the contact changes of the people it names, newest first. A reader who
/// may not read the plan's unfinished versions does not see the return comments about them.
pub fn history(
    events: &[PlanEvent],
    contact_changes: &[ContactChange],
    zone: &jiff::tz::TimeZone,
    reads_unfinished: bool,
) -> Vec<EventView> {
    let mut lines: Vec<(OffsetDateTime, EventView)> = events
        .iter()
        .map(|event| {
            let mut line = event_view(event, zone);
            if !reads_unfinished && event.action == "returned" {
                line.comment.clear();
            }
            (event.at, line)
        })
        .chain(contact_changes.iter().map(|change| {
            (
                change.at,
                EventView {
                    when: format_in_zone(change.at, zone, "%Y-%m-%d %H:%M"),
                    who: change.actor_label.clone(),
                    what: format!(
                        "changed the contact details of {} (v{})",
                        change.person_name, change.version_number
                    ),
                    comment: format!(
                        "{} changed in the directory {}; offline copies taken before are outdated.",
                        capitalised(&change.fields),
                        if change.version_status == "approved" {
                            "after approval"
                        } else {
                            "while in review"
                        }
                    ),
                },
            )
        }))
        .collect();
    // Stable: events keep their order among equal times.
    lines.sort_by_key(|line| std::cmp::Reverse(line.0));
    lines.into_iter().map(|(_, line)| line).collect()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
