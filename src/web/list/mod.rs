//! Lists: a feature declares its columns and filters once ([`ListSpec`]) and gets a page with
//! sorting, filters, text search and pagination, plus a CSV export from the same query.

mod export;
mod params;
mod query;
mod view;

pub use params::ListParams;
pub use view::{FilterOption, ListView};

/// How a column's value is shown.
#[derive(Clone, Copy)]
pub enum Cell {
    Text,
    /// A `timestamptz`, shown in the user's time zone.
    DateTime,
    /// A boolean, shown as Yes / No.
    YesNo,
    /// Whole minutes, shown as durations are everywhere (`4h`, `2w`, `1h 30m`); sorts by value.
    Minutes,
    /// A JSON document, folded away on the page and complete in the CSV.
    Json,
    /// A stored code shown as a label in a coloured badge: value → (label, badge class).
    Badge(fn(&str) -> (String, &'static str)),
}

pub struct Column {
    /// Name in the URL (`sort=email`).
    pub key: &'static str,
    pub label: &'static str,
    /// SQL expression over the `from` clause.
    pub sql: &'static str,
    pub cell: Cell,
    /// When set, the cell links to this prefix followed by the row id.
    pub link: Option<&'static str>,
    pub sortable: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    /// The column equals the chosen option.
    Choice,
    /// The chosen option is one of the values of an array expression (e.g. what a risk bears
    /// on); its choices are too many to list, so the page offers the chosen one only.
    Contains,
    /// The timestamp falls on or after this date (user's time zone).
    DateFrom,
    /// The timestamp falls on or before this date (user's time zone).
    DateTo,
}

pub struct Filter {
    pub key: &'static str,
    pub label: &'static str,
    pub sql: &'static str,
    pub kind: FilterKind,
    /// The value used when the URL does not say (e.g. hide archived rows); `all` lifts it.
    pub default: Option<&'static str>,
}

/// The filter value meaning "no filter" when a filter has a default.
pub const ALL: &str = "all";

/// Everything a list needs to know; declared as a `static` by each feature.
pub struct ListSpec {
    /// Used for the CSV file name.
    pub name: &'static str,
    /// The list page's address; the CSV export is this plus `.csv`.
    pub path: &'static str,
    /// SQL after `from`: a table with optional joins.
    pub from: &'static str,
    /// SQL giving each row's id (for links).
    pub id: &'static str,
    pub columns: &'static [Column],
    pub filters: &'static [Filter],
    /// SQL expressions searched by the text box (case-insensitive substring).
    pub search: &'static [&'static str],
    pub default_sort: &'static str,
    pub default_descending: bool,
}

/// One row as loaded: the id and each column's text (`None` for SQL null).
pub struct RawRow {
    pub id: String,
    pub cells: Vec<Option<String>>,
}

impl ListSpec {
    pub fn column(&self, key: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.key == key)
    }

    pub fn filter(&self, key: &str) -> Option<&Filter> {
        self.filters.iter().find(|filter| filter.key == key)
    }
}
