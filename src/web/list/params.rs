//! A list's state in the URL: search text, filters, sort, page. Unknown or malformed values are
//! ignored rather than refused, so an old bookmark still opens.

use std::collections::BTreeMap;

use super::{FilterKind, ListSpec};
use crate::domain::date::parse_date;
use crate::web::input::{InputRefused, Problem, Source};

pub const PAGE_SIZES: [i64; 4] = [25, 50, 100, 200];
const DEFAULT_PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone)]
pub struct ListParams {
    pub q: String,
    pub sort: String,
    pub descending: bool,
    pub page: i64,
    pub per_page: i64,
    /// Filter key → value, only for filters the spec declares.
    pub filters: BTreeMap<String, String>,
    /// Rows the user may see when that is not everything (set by the handler, never from the
    /// URL): only rows whose id is among these are listed or exported.
    pub only_ids: Option<Vec<uuid::Uuid>>,
    /// Filter values in the address that could not be applied: shown above the list, and
    /// refusing an export (which must hold exactly what was asked for).
    pub unapplied: Vec<Unapplied>,
}

#[derive(Debug, Clone)]
pub struct Unapplied {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub reason: String,
}

impl ListParams {
    pub fn parse(spec: &ListSpec, pairs: &[(String, String)]) -> Self {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.trim())
        };
        let sort = get("sort")
            .filter(|key| spec.column(key).is_some_and(|column| column.sortable))
            .unwrap_or(spec.default_sort)
            .to_string();
        let descending = match get("dir") {
            Some("asc") => false,
            Some("desc") => true,
            _ => sort == spec.default_sort && spec.default_descending,
        };
        let per_page = get("per_page")
            .and_then(|value| value.parse().ok())
            .filter(|size| PAGE_SIZES.contains(size))
            .unwrap_or(DEFAULT_PAGE_SIZE);
        let page = get("page")
            .and_then(|value| value.parse::<i64>().ok())
            .filter(|page| (1..=1_000_000).contains(page))
            .unwrap_or(1);
        let mut unapplied = Vec::new();
        let mut filters = BTreeMap::new();
        for filter in spec.filters {
            let Some(value) = get(filter.key)
                .or(filter.default)
                .filter(|value| !value.is_empty())
            else {
                continue;
            };
            let value = match filter.kind {
                FilterKind::Choice | FilterKind::Contains => {
                    (value.len() <= 200).then(|| value.to_string())
                }
                // Stored in its plain form, so PostgreSQL reads the same date.
                FilterKind::DateFrom | FilterKind::DateTo => match parse_date(value) {
                    Ok(date) => Some(date.to_string()),
                    Err(error) => {
                        unapplied.push(Unapplied {
                            key: filter.key,
                            label: filter.label,
                            value: value.to_string(),
                            reason: error.to_string(),
                        });
                        None
                    }
                },
            };
            if let Some(value) = value {
                filters.insert(filter.key.to_string(), value);
            }
        }
        Self {
            q: get("q").unwrap_or_default().chars().take(200).collect(),
            sort,
            descending,
            page,
            per_page,
            filters,
            only_ids: None,
            unapplied,
        }
    }

    /// What the list says about filter values it could not apply.
    pub fn notes(&self) -> Vec<String> {
        self.unapplied
            .iter()
            .map(|filter| format!("“{}” was not applied: {}", filter.label, filter.reason))
            .collect()
    }

    /// The refusal of an export whose filters could not all be applied, if so.
    pub fn export_refusal(&self, path: &str) -> Option<InputRefused> {
        if self.unapplied.is_empty() {
            return None;
        }
        let problems = self
            .unapplied
            .iter()
            .map(|filter| Problem::new(filter.key, filter.reason.clone()))
            .collect();
        let fields = self
            .unapplied
            .iter()
            .map(|filter| (filter.key.to_string(), filter.value.clone()))
            .collect();
        let back = format!("{path}?{}", self.filter_query_string());
        Some(InputRefused::new(Source::Address, problems, fields, back))
    }

    /// Restricts the rows to `ids` (see [`ListParams::only_ids`]); `None` leaves them all.
    pub fn only(mut self, ids: Option<Vec<uuid::Uuid>>) -> Self {
        self.only_ids = ids;
        self
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// The query string for these parameters with some replaced (`page`, `sort`, `dir` …).
    pub fn query_string(&self, overrides: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q".into(), self.q.clone()));
        }
        for (key, value) in &self.filters {
            pairs.push((key.clone(), value.clone()));
        }
        pairs.push(("sort".into(), self.sort.clone()));
        pairs.push((
            "dir".into(),
            if self.descending { "desc" } else { "asc" }.into(),
        ));
        pairs.push(("per_page".into(), self.per_page.to_string()));
        pairs.push(("page".into(), self.page.to_string()));
        for (key, value) in overrides {
            pairs.retain(|(existing, _)| existing != key);
            pairs.push((key.to_string(), value.to_string()));
        }
        pairs
            .iter()
            .map(|(key, value)| {
                format!(
                    "{}={}",
                    crate::web::url_encode(key),
                    crate::web::url_encode(value)
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The same list without page and per-page (for the CSV link).
    pub fn filter_query_string(&self) -> String {
        let mut pairs: Vec<String> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(format!("q={}", crate::web::url_encode(&self.q)));
        }
        for (key, value) in &self.filters {
            pairs.push(format!(
                "{}={}",
                crate::web::url_encode(key),
                crate::web::url_encode(value)
            ));
        }
        pairs.push(format!("sort={}", crate::web::url_encode(&self.sort)));
        pairs.push(format!(
            "dir={}",
            if self.descending { "desc" } else { "asc" }
        ));
        pairs.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Cell, Column, Filter};
    use super::*;

    static SPEC: ListSpec = ListSpec {
        name: "things",
        path: "/things",
        from: "things",
        id: "id::text",
        columns: &[
            Column {
                key: "name",
                label: "Name",
                sql: "name",
                cell: Cell::Text,
                link: None,
                sortable: true,
            },
            Column {
                key: "at",
                label: "At",
                sql: "at",
                cell: Cell::DateTime,
                link: None,
                sortable: true,
            },
            Column {
                key: "note",
                label: "Note",
                sql: "note",
                cell: Cell::Text,
                link: None,
                sortable: false,
            },
        ],
        filters: &[
            Filter {
                key: "kind",
                label: "Kind",
                sql: "kind",
                kind: FilterKind::Choice,
                default: None,
            },
            Filter {
                key: "from",
                label: "From",
                sql: "at",
                kind: FilterKind::DateFrom,
                default: None,
            },
            Filter {
                key: "state",
                label: "State",
                sql: "state",
                kind: FilterKind::Choice,
                default: Some("live"),
            },
        ],
        search: &["name"],
        default_sort: "at",
        default_descending: true,
    };

    fn parse(pairs: &[(&str, &str)]) -> ListParams {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ListParams::parse(&SPEC, &owned)
    }

    #[test]
    fn defaults_apply_to_an_empty_query() {
        let params = parse(&[]);
        assert_eq!(params.sort, "at");
        assert!(params.descending);
        assert_eq!((params.page, params.per_page), (1, 50));
    }

    #[test]
    fn unknown_or_unsortable_columns_fall_back_to_the_default() {
        assert_eq!(parse(&[("sort", "password_hash")]).sort, "at");
        assert_eq!(parse(&[("sort", "note")]).sort, "at");
        assert_eq!(parse(&[("sort", "name"), ("dir", "asc")]).sort, "name");
    }

    #[test]
    fn malformed_numbers_and_dates_are_ignored() {
        let params = parse(&[
            ("page", "-3"),
            ("per_page", "100000"),
            ("from", "yesterday"),
            ("kind", "a"),
        ]);
        assert_eq!((params.page, params.per_page), (1, 50));
        assert!(!params.filters.contains_key("from"));
        assert_eq!(params.filters.get("kind").map(String::as_str), Some("a"));
    }

    #[test]
    fn dates_postgresql_would_refuse_are_not_applied_say_why_and_refuse_an_export() {
        for odd in ["+002024-06-14", "-000001-01-01", "0000-01-01", "2024-02-30"] {
            let params = parse(&[("from", odd)]);
            assert!(!params.filters.contains_key("from"), "{odd}");
            assert_eq!(params.notes().len(), 1, "{odd}");
            assert!(
                params.notes()[0].starts_with("“From” was not applied"),
                "{odd}"
            );
            assert!(params.export_refusal("/things").is_some(), "{odd}");
        }
        let params = parse(&[("from", " 2024-06-14 ")]);
        assert_eq!(
            params.filters.get("from").map(String::as_str),
            Some("2024-06-14")
        );
        assert!(params.notes().is_empty());
        assert!(params.export_refusal("/things").is_none());
    }

    #[test]
    fn a_filter_default_applies_until_the_url_says_otherwise() {
        assert_eq!(
            parse(&[]).filters.get("state").map(String::as_str),
            Some("live")
        );
        assert_eq!(
            parse(&[("state", "all")])
                .filters
                .get("state")
                .map(String::as_str),
            Some("all")
        );
    }

    #[test]
    fn query_strings_keep_state_and_apply_overrides() {
        let params = parse(&[("q", "a b"), ("kind", "x"), ("page", "3")]);
        let query = params.query_string(&[("page", "4")]);
        assert!(query.contains("q=a%20b"));
        assert!(query.contains("kind=x"));
        assert!(query.ends_with("page=4"));
        assert!(!query.contains("page=3"));
    }
}
