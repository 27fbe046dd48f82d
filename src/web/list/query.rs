//! Builds a list's SQL from its declaration. Only declared SQL fragments are ever spliced into
//! the statement; everything the user types is bound as a parameter.

use sqlx::postgres::PgRow;
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

use super::{Cell, FilterKind, ListParams, ListSpec, RawRow};

/// The most rows a CSV export carries; more means the user should filter.
pub const EXPORT_LIMIT: i64 = 100_000;

/// Counting stops here: past it a page says "10000+", so a long list (the audit log) is never
/// read whole just to number its pages.
pub const COUNT_LIMIT: i64 = 10_000;

impl ListSpec {
    fn push_conditions(
        &self,
        builder: &mut QueryBuilder<'_, Postgres>,
        params: &ListParams,
        time_zone: &str,
    ) {
        builder.push(" where true");
        if let Some(ids) = &params.only_ids {
            builder.push(format!(" and ({}) = any(", self.id));
            builder.push_bind(ids.clone());
            builder.push(")");
        }
        if !params.q.is_empty() && !self.search.is_empty() {
            let pattern = format!("%{}%", escape_like(&params.q));
            builder.push(" and (");
            for (index, expression) in self.search.iter().enumerate() {
                if index > 0 {
                    builder.push(" or ");
                }
                builder.push(format!("coalesce(({expression})::text, '') ilike "));
                builder.push_bind(pattern.clone());
            }
            builder.push(")");
        }
        for (key, value) in &params.filters {
            let Some(filter) = self.filter(key) else {
                continue;
            };
            if value == super::ALL {
                continue;
            }
            match filter.kind {
                FilterKind::Choice => {
                    builder.push(format!(" and ({})::text = ", filter.sql));
                    builder.push_bind(value.clone());
                }
                FilterKind::Contains => {
                    builder.push(" and ");
                    builder.push_bind(value.clone());
                    builder.push(format!(" = any(({})::text[])", filter.sql));
                }
                FilterKind::DateFrom | FilterKind::DateTo => {
                    let operator = if filter.kind == FilterKind::DateFrom {
                        ">="
                    } else {
                        "<="
                    };
                    builder.push(format!(" and (({}) at time zone ", filter.sql));
                    builder.push_bind(time_zone.to_string());
                    builder.push(format!(")::date {operator} "));
                    builder.push_bind(value.clone());
                    builder.push("::date");
                }
            }
        }
    }

    fn select_list(&self) -> String {
        let mut columns = vec![format!("({})::text", self.id)];
        for column in self.columns {
            columns.push(match column.cell {
                Cell::DateTime => format!("extract(epoch from ({}))::bigint::text", column.sql),
                _ => format!("({})::text", column.sql),
            });
        }
        columns.join(", ")
    }

    fn push_order(&self, builder: &mut QueryBuilder<'_, Postgres>, params: &ListParams) {
        let sort = self.column(&params.sort).unwrap_or(&self.columns[0]);
        let direction = if params.descending { "desc" } else { "asc" };
        // Text sorts as people read it (ICU: case and accents only break ties, so "Backup"
        // comes before "BI reporting"); the first key is null for numbers and dates, which then
        // sort by value. Columns known not to be text skip that key, so an index on the column
        // (the audit log's `at`) still gives the order without sorting the whole table.
        let never_text = matches!(sort.cell, Cell::DateTime | Cell::Minutes | Cell::YesNo);
        if never_text {
            builder.push(format!(
                " order by {sql} {direction} nulls last, {id} {direction}",
                sql = sort.sql,
                id = self.id
            ));
            return;
        }
        // A list's name column (the one linking to each row) is always text: its key needs no
        // type guard, so an index on `(name collate "und-x-icu")` gives the order.
        if matches!(sort.cell, Cell::Text) && sort.link.is_some() {
            builder.push(format!(
                " order by ({sql}) collate \"und-x-icu\" {direction} nulls last, \
                 {sql} {direction} nulls last, {id} {direction}",
                sql = sort.sql,
                id = self.id
            ));
            return;
        }
        builder.push(format!(
            " order by case when pg_typeof({sql}) in ('text'::regtype, 'character varying'::regtype) \
             then ({sql})::text collate \"und-x-icu\" end {direction} nulls last, \
             {sql} {direction} nulls last, {id} {direction}",
            sql = sort.sql,
            id = self.id
        ));
    }

    /// How many rows match, whatever the page, up to [`COUNT_LIMIT`] (one more means "more").
    pub async fn count(
        &self,
        db: &PgPool,
        params: &ListParams,
        time_zone: &str,
    ) -> sqlx::Result<i64> {
        let mut builder =
            QueryBuilder::new(format!("select count(*) from (select 1 from {}", self.from));
        self.push_conditions(&mut builder, params, time_zone);
        builder.push(" limit ");
        builder.push_bind(COUNT_LIMIT + 1);
        builder.push(") counted");
        builder.build_query_scalar().fetch_one(db).await
    }

    /// The statement giving the rows of one page (`limit` = page size) or of an export.
    pub(super) fn rows_query(
        &self,
        params: &ListParams,
        time_zone: &str,
        limit: i64,
        offset: i64,
    ) -> QueryBuilder<'static, Postgres> {
        let mut builder =
            QueryBuilder::new(format!("select {} from {}", self.select_list(), self.from));
        self.push_conditions(&mut builder, params, time_zone);
        self.push_order(&mut builder, params);
        builder.push(" limit ");
        builder.push_bind(limit);
        builder.push(" offset ");
        builder.push_bind(offset);
        builder
    }

    /// The rows of one page (`limit` = page size).
    pub async fn rows(
        &self,
        db: &PgPool,
        params: &ListParams,
        time_zone: &str,
        limit: i64,
        offset: i64,
    ) -> sqlx::Result<Vec<RawRow>> {
        let mut builder = self.rows_query(params, time_zone, limit, offset);
        let rows = builder.build().fetch_all(db).await?;
        rows.iter().map(|row| self.raw_row(row)).collect()
    }

    pub(super) fn raw_row(&self, row: &PgRow) -> sqlx::Result<RawRow> {
        let id: Option<String> = row.try_get(0)?;
        let cells = (1..=self.columns.len())
            .map(|index| row.try_get::<Option<String>, _>(index))
            .collect::<sqlx::Result<Vec<_>>>()?;
        Ok(RawRow {
            id: id.unwrap_or_default(),
            cells,
        })
    }
}

/// Makes `%`, `_` and `\` match themselves in an `ilike` pattern.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_typed_by_users_match_literally() {
        assert_eq!(escape_like("100%_a\\b"), "100\\%\\_a\\\\b");
    }
}
