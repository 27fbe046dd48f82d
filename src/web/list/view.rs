//! Turns a list's rows and parameters into what the `_list.html` partial shows, and into CSV.

use std::collections::HashMap;

use sqlx::PgPool;

use super::query::COUNT_LIMIT;
use super::{Cell, FilterKind, ListParams, ListSpec, RawRow};
use crate::web::page::format_epoch_in_zone;

pub struct FilterOption {
    pub value: String,
    pub label: String,
}

impl FilterOption {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

pub struct HeadView {
    pub label: &'static str,
    pub href: Option<String>,
    /// `sort-asc`, `sort-desc` or empty.
    pub sort_class: &'static str,
    pub aria_sort: &'static str,
}

pub struct CellView {
    pub text: String,
    pub href: Option<String>,
    pub badge: Option<&'static str>,
    /// Long content shown folded (`<details>`).
    pub folded: bool,
    /// Dates and times keep to one line.
    pub nowrap: bool,
}

pub struct FilterView {
    /// The value of the "All" choice: empty, or `all` when the filter has a default.
    pub all_value: &'static str,
    pub key: &'static str,
    pub label: &'static str,
    pub is_date: bool,
    pub value: String,
    pub options: Vec<(FilterOption, bool)>,
}

pub struct PageLink {
    pub label: String,
    pub href: Option<String>,
    pub current: bool,
}

/// Everything the `_list.html` partial renders.
pub struct ListView {
    pub path: &'static str,
    pub q: String,
    pub has_search: bool,
    pub sort: String,
    pub dir: &'static str,
    pub per_page: i64,
    pub heads: Vec<HeadView>,
    pub rows: Vec<Vec<CellView>>,
    pub filters: Vec<FilterView>,
    pub total: i64,
    /// More rows match than were counted: `total` is a lower bound.
    pub total_is_more: bool,
    pub first_shown: i64,
    pub last_shown: i64,
    pub pages: Vec<PageLink>,
    pub csv_href: String,
    pub is_filtered: bool,
    /// Filter values from the address that were not applied, and why.
    pub notes: Vec<String>,
}

impl ListSpec {
    /// Loads one page of the list (two queries, whatever its length) and prepares its view.
    pub async fn page(
        &self,
        db: &PgPool,
        params: &ListParams,
        zone: &jiff::tz::TimeZone,
        zone_name: &str,
        options: HashMap<&'static str, Vec<FilterOption>>,
    ) -> sqlx::Result<ListView> {
        let total = self.count(db, params, zone_name).await?;
        let rows = self
            .rows(db, params, zone_name, params.per_page, params.offset())
            .await?;
        Ok(self.view(params, total, rows, zone, options))
    }

    fn view(
        &self,
        params: &ListParams,
        total: i64,
        rows: Vec<RawRow>,
        zone: &jiff::tz::TimeZone,
        mut options: HashMap<&'static str, Vec<FilterOption>>,
    ) -> ListView {
        let heads = self
            .columns
            .iter()
            .map(|column| {
                let active = column.key == params.sort;
                let next_dir = if active && !params.descending {
                    "desc"
                } else {
                    "asc"
                };
                HeadView {
                    label: column.label,
                    href: column.sortable.then(|| {
                        format!(
                            "{}?{}",
                            self.path,
                            params.query_string(&[
                                ("sort", column.key),
                                ("dir", next_dir),
                                ("page", "1")
                            ])
                        )
                    }),
                    sort_class: match (active, params.descending) {
                        (false, _) => "",
                        (true, false) => "sort-asc",
                        (true, true) => "sort-desc",
                    },
                    aria_sort: match (active, params.descending) {
                        (false, _) => "none",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    },
                }
            })
            .collect();
        let rows = rows
            .into_iter()
            .map(|row| {
                self.columns
                    .iter()
                    .zip(row.cells)
                    .map(|(column, value)| {
                        let (text, badge) = show(column.cell, value.as_deref(), zone);
                        CellView {
                            href: column.link.map(|prefix| format!("{prefix}{}", row.id)),
                            folded: matches!(column.cell, Cell::Json) && !text.is_empty(),
                            nowrap: matches!(column.cell, Cell::DateTime),
                            text,
                            badge,
                        }
                    })
                    .collect()
            })
            .collect();
        let filters = self
            .filters
            .iter()
            .map(|filter| {
                let value = params.filters.get(filter.key).cloned().unwrap_or_default();
                let options = options
                    .remove(filter.key)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|option| {
                        let selected = option.value == value;
                        (option, selected)
                    })
                    .collect();
                FilterView {
                    all_value: if filter.default.is_some() {
                        super::ALL
                    } else {
                        ""
                    },
                    key: filter.key,
                    label: filter.label,
                    is_date: matches!(filter.kind, FilterKind::DateFrom | FilterKind::DateTo),
                    value,
                    options,
                }
            })
            .collect();
        let total_is_more = total > COUNT_LIMIT;
        let total = total.min(COUNT_LIMIT);
        let page_count = ((total + params.per_page - 1) / params.per_page).max(1);
        ListView {
            path: self.path,
            q: params.q.clone(),
            has_search: !self.search.is_empty(),
            sort: params.sort.clone(),
            dir: if params.descending { "desc" } else { "asc" },
            per_page: params.per_page,
            heads,
            rows,
            filters,
            total,
            total_is_more,
            first_shown: if total == 0 { 0 } else { params.offset() + 1 },
            last_shown: (params.offset() + params.per_page).min(total),
            pages: page_links(self.path, params, page_count),
            csv_href: format!("{}.csv?{}", self.path, params.filter_query_string()),
            is_filtered: !params.q.is_empty()
                || params.filters.iter().any(|(key, value)| {
                    self.filter(key).and_then(|filter| filter.default) != Some(value.as_str())
                }),
            notes: params.notes(),
        }
    }
}

pub(super) fn show(
    cell: Cell,
    value: Option<&str>,
    zone: &jiff::tz::TimeZone,
) -> (String, Option<&'static str>) {
    let Some(value) = value else {
        return (String::new(), None);
    };
    match cell {
        Cell::Text | Cell::Json => (value.to_string(), None),
        Cell::DateTime => (
            value
                .parse::<i64>()
                .map(|seconds| format_epoch_in_zone(seconds, zone, "%Y-%m-%d %H:%M"))
                .unwrap_or_default(),
            None,
        ),
        Cell::YesNo => (
            (if value == "true" { "Yes" } else { "No" }).to_string(),
            None,
        ),
        Cell::Minutes => (
            value
                .parse::<i64>()
                .ok()
                .and_then(crate::domain::duration::Duration::from_minutes)
                .map(crate::domain::bia::method::duration_label)
                .unwrap_or_default(),
            None,
        ),
        Cell::Badge(describe) => {
            let (label, class) = describe(value);
            (label, Some(class))
        }
    }
}

/// Previous, a window of page numbers around the current one, next.
fn page_links(path: &str, params: &ListParams, page_count: i64) -> Vec<PageLink> {
    let link = |page: i64, label: String| PageLink {
        href: (page != params.page && (1..=page_count).contains(&page)).then(|| {
            format!(
                "{path}?{}",
                params.query_string(&[("page", &page.to_string())])
            )
        }),
        current: page == params.page,
        label,
    };
    let mut links = vec![link(params.page - 1, "‹ Previous".into())];
    let first = (params.page - 3).max(1);
    let last = (params.page + 3).min(page_count);
    for page in first..=last {
        links.push(link(page, page.to_string()));
    }
    links.push(link(params.page + 1, "Next ›".into()));
    // "Previous" and "Next" are never the current page.
    links[0].current = false;
    if let Some(next) = links.last_mut() {
        next.current = false;
    }
    links
}
