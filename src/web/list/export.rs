//! A list's CSV export, streamed: rows go from the database cursor to the client in chunks of
//! about 64 KB, so exporting 130 000 audit rows takes no more memory than exporting ten. The
//! export holds one pooled connection while it streams, and nothing else (STYLE 16).

use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use sqlx::PgPool;

use super::query::EXPORT_LIMIT;
use super::view::show;
use super::{Cell, ListParams, ListSpec, RawRow};
use crate::web::csv_export::{self, RowSink};
use crate::web::page::format_epoch_in_zone;

impl ListSpec {
    /// The whole filtered list (up to [`EXPORT_LIMIT`] rows) as a CSV download, dates in the
    /// user's time zone.
    pub async fn csv(
        &'static self,
        db: &PgPool,
        params: &ListParams,
        zone: &jiff::tz::TimeZone,
        zone_name: &str,
    ) -> anyhow::Result<Response> {
        // A filter that could not be applied (a date PostgreSQL refuses) never exports the
        // unfiltered list by mistake.
        if let Some(refusal) = params.export_refusal(self.path) {
            return Ok(refusal.into_response());
        }
        let export = Export {
            spec: self,
            db: db.clone(),
            params: params.clone(),
            zone: zone.clone(),
            zone_name: zone_name.to_string(),
        };
        let header: Vec<&str> = self.columns.iter().map(|column| column.label).collect();
        csv_export::stream_download(self.name, &header, move |sink| export.send(sink))
    }
}

struct Export {
    spec: &'static ListSpec,
    db: PgPool,
    params: ListParams,
    zone: jiff::tz::TimeZone,
    zone_name: String,
}

impl Export {
    async fn send(self, mut sink: RowSink) -> anyhow::Result<RowSink> {
        let mut builder = self
            .spec
            .rows_query(&self.params, &self.zone_name, EXPORT_LIMIT, 0);
        let mut rows = builder.build().fetch(&self.db);
        while let Some(row) = rows.try_next().await? {
            let row = self.spec.raw_row(&row)?;
            if !sink.row(&self.cells(row)).await? {
                // The client went away: stop reading.
                break;
            }
        }
        drop(rows);
        Ok(sink)
    }

    fn cells(&self, row: RawRow) -> Vec<String> {
        self.spec
            .columns
            .iter()
            .zip(row.cells)
            .map(|(column, value)| match column.cell {
                Cell::DateTime => value
                    .and_then(|text| text.parse::<i64>().ok())
                    .map(|seconds| {
                        format_epoch_in_zone(seconds, &self.zone, "%Y-%m-%dT%H:%M:%S%:z")
                    })
                    .unwrap_or_default(),
                cell => show(cell, value.as_deref(), &self.zone).0,
            })
            .collect()
    }
}
