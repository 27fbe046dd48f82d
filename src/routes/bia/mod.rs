//! `/bia`: business impact analysis. Continuity managers run exercises; service owners answer
//! the questionnaire of each of their services; the application derives MTPD, RTO, RPO and tier.

mod assessment;
mod assessment_list;
mod exercise;
mod exercises;
mod method;
mod report;

use super::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/bia", exercises::list)
        .get("/bia.csv", exercises::csv)
        .get("/bia/new", exercises::new)
        .get("/bia/method", method::show)
        .post("/bia/method", method::save)
        .post("/bia", exercises::create)
        .get("/bia/{id}", exercise::show)
        .post("/bia/{id}/advance", exercise::advance)
        .post("/bia/{id}/reopen", exercise::reopen)
        .get("/bia/{id}/results.csv", exercise::results_csv)
        .get("/bia/{id}/report", report::show)
        .get("/bia/assessments", assessment_list::page)
        .get("/bia/assessments.csv", assessment_list::csv)
        .get("/bia/assessments/{id}", assessment::show)
        .post("/bia/assessments/{id}", assessment::save)
        .post("/bia/assessments/{id}/preview", assessment::preview)
        .post("/bia/assessments/{id}/submit", assessment::submit)
        .post("/bia/assessments/{id}/return", assessment::return_to_owner)
        .post("/bia/assessments/{id}/approve", assessment::approve)
        .post("/bia/assessments/{id}/reassign", assessment::reassign)
        .post("/bia/assessments/{id}/remind", assessment::remind)
}

/// Shows stored minutes as BIA pages write durations (`8h`, `24h`, `30d`), or a dash.
pub(crate) fn minutes(value: Option<i32>) -> String {
    value
        .and_then(|minutes| crate::domain::duration::Duration::from_minutes(i64::from(minutes)))
        .map_or_else(
            || "—".to_string(),
            crate::domain::bia::method::duration_label,
        )
}
