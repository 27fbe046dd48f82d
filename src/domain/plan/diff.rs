//! What changed between two versions of a plan, part by part: the services, the invocation, the
//! roles, the call tree, each section by its title, and the steps one line each. A reviewer reads
//! what moved rather than re-reading the whole plan.
//!
//! Each part is first written out as lines of plain text (people and services by name), then
//! compared line by line with the `similar` crate.

use std::collections::HashMap;

use similar::{ChangeTag, TextDiff};
use uuid::Uuid;

use super::content::PlanContent;
use crate::domain::bia::method::duration_label;

/// How one line fares between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineChange {
    Same,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub change: LineChange,
    pub text: String,
}

/// One part of the plan and its lines; `changed` is false when every line is the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffPart {
    pub heading: String,
    pub changed: bool,
    pub lines: Vec<DiffLine>,
}

/// Names for the identifiers a plan stores.
pub struct Names<'a> {
    pub people: &'a HashMap<Uuid, String>,
    pub services: &'a HashMap<Uuid, String>,
}

impl Names<'_> {
    fn person(&self, id: Option<Uuid>) -> String {
        id.map_or_else(
            || "nobody".to_owned(),
            |id| {
                self.people
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| "someone removed from the directory".to_owned())
            },
        )
    }

    fn service(&self, id: Uuid) -> String {
        self.services
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "a deleted service".to_owned())
    }
}

/// The parts of `before` and `after`, in the order the plan shows them. Sections are matched by
/// title: a renamed section shows as one removed and one added.
pub fn compare(before: &PlanContent, after: &PlanContent, names: &Names) -> Vec<DiffPart> {
    let mut parts = vec![
        part(
            "Services covered",
            &services(before, names),
            &services(after, names),
        ),
        part(
            "Invocation",
            &invocation(before, names),
            &invocation(after, names),
        ),
        part("Roles", &roles(before, names), &roles(after, names)),
        part("Call tree", &calls(before, names), &calls(after, names)),
    ];
    let mut titles: Vec<&str> = after.sections.iter().map(|s| s.title.as_str()).collect();
    for section in &before.sections {
        if !titles.contains(&section.title.as_str()) {
            titles.push(&section.title);
        }
    }
    for title in titles {
        let body = |content: &PlanContent| -> Vec<String> {
            content
                .sections
                .iter()
                .find(|section| section.title == title)
                .map(|section| section.body.lines().map(str::to_owned).collect())
                .unwrap_or_default()
        };
        parts.push(part(
            &format!("Section: {title}"),
            &body(before),
            &body(after),
        ));
    }
    parts.push(part("Recovery steps", &steps(before), &steps(after)));
    parts
}

fn part(heading: &str, before: &[String], after: &[String]) -> DiffPart {
    let old = joined(before);
    let new = joined(after);
    let diff = TextDiff::from_lines(&old, &new);
    let lines: Vec<DiffLine> = diff
        .iter_all_changes()
        .map(|change| DiffLine {
            change: match change.tag() {
                ChangeTag::Equal => LineChange::Same,
                ChangeTag::Insert => LineChange::Added,
                ChangeTag::Delete => LineChange::Removed,
            },
            text: change.value().trim_end_matches('\n').to_owned(),
        })
        .collect();
    DiffPart {
        heading: heading.to_owned(),
        changed: lines.iter().any(|line| line.change != LineChange::Same),
        lines,
    }
}

/// Lines joined so that every line, the last included, ends in a newline (otherwise a line
/// added at the end would also mark the previous last line as changed).
fn joined(lines: &[String]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

fn services(content: &PlanContent, names: &Names) -> Vec<String> {
    let mut named: Vec<String> = content
        .services
        .iter()
        .map(|&id| names.service(id))
        .collect();
    named.sort();
    named
}

fn invocation(content: &PlanContent, names: &Names) -> Vec<String> {
    let mut lines = vec![
        format!("Authority: {}", names.person(content.invocation.authority)),
        format!("Successor: {}", names.person(content.invocation.successor)),
    ];
    lines.extend(
        content
            .invocation
            .criteria
            .lines()
            .map(|line| format!("Criteria: {line}")),
    );
    lines
}

fn roles(content: &PlanContent, names: &Names) -> Vec<String> {
    content
        .roles
        .iter()
        .map(|role| {
            format!(
                "{}: {}, alternate {}{}",
                role.name,
                names.person(role.person),
                names.person(role.alternate),
                if role.duties.trim().is_empty() {
                    String::new()
                } else {
                    format!(" — {}", role.duties.trim())
                }
            )
        })
        .collect()
}

fn calls(content: &PlanContent, names: &Names) -> Vec<String> {
    content
        .call_tree
        .iter()
        .map(|call| {
            format!(
                "{} calls {}{}",
                names.person(Some(call.caller)),
                names.person(Some(call.callee)),
                if call.if_unreachable.trim().is_empty() {
                    String::new()
                } else {
                    format!("; if unreachable: {}", call.if_unreachable.trim())
                }
            )
        })
        .collect()
}

fn steps(content: &PlanContent) -> Vec<String> {
    content
        .steps
        .iter()
        .map(|step| {
            format!(
                "{} · {} · {} · {} · {}{}",
                step.id,
                step.phase.label(),
                step.action,
                step.role,
                duration_label(step.duration),
                if step.predecessors.is_empty() {
                    String::new()
                } else {
                    format!(" · after {}", step.predecessors.join(", "))
                }
            )
        })
        .collect()
}

#[cfg(test)]
mod tests;
