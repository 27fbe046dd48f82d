//! CSV files that are safe to open in a spreadsheet: a UTF-8 BOM so accents survive, and cells
//! that a spreadsheet would run as a formula neutralised. Long exports are written in chunks
//! ([`stream_download`]) and streamed, so memory does not grow with the file.

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;
use tracing::Instrument;

/// A cell that starts like a formula (`= + - @`, or a tab/CR that hides one) gets a leading
/// apostrophe, which spreadsheets show as text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes a header and rows as CSV text starting with a BOM.
pub fn to_csv(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row.iter().map(|cell| neutralise(cell).into_owned()))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// Flushes a chunk once it holds this many bytes.
const CHUNK_BYTES: usize = 64 * 1024;

/// A CSV file written a chunk at a time: the BOM and header first, then rows; [`Chunks::row`]
/// hands back a chunk to send whenever about 64 KB have gathered.
pub struct Chunks {
    writer: csv::Writer<Vec<u8>>,
}

impl Chunks {
    pub fn new(header: &[&str]) -> anyhow::Result<Self> {
        let mut writer = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
        writer.write_record(header)?;
        Ok(Self { writer })
    }

    pub fn row(&mut self, row: &[String]) -> anyhow::Result<Option<Vec<u8>>> {
        self.writer.write_record(
            row.iter()
                .map(|cell| neutralise(cell))
                .map(|cell| cell.into_owned()),
        )?;
        if self.writer.get_ref().len() < CHUNK_BYTES {
            return Ok(None);
        }
        self.take().map(Some)
    }

    /// What remains to send.
    pub fn finish(mut self) -> anyhow::Result<Vec<u8>> {
        self.take()
    }

    fn take(&mut self) -> anyhow::Result<Vec<u8>> {
        let full = std::mem::replace(&mut self.writer, csv::Writer::from_writer(Vec::new()));
        full.into_inner()
            .map_err(|error| anyhow::anyhow!("{}", error.error()))
    }
}

/// Chunks waiting for a slow client before the database read pauses.
const CHUNKS_IN_FLIGHT: usize = 4;

/// Where a streamed export writes its rows (see [`stream_download`]).
pub struct RowSink {
    chunks: Chunks,
    sender: mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
}

impl RowSink {
    /// Adds a row; `false` when the client has gone away and reading can stop.
    pub async fn row(&mut self, cells: &[String]) -> anyhow::Result<bool> {
        match self.chunks.row(cells)? {
            Some(chunk) => Ok(self.sender.send(Ok(chunk)).await.is_ok()),
            None => Ok(true),
        }
    }
}

/// A CSV download whose rows `produce` writes while the client reads, in a task of its own:
/// memory stays at a few chunks whatever the file's length. A failure midway is logged and
/// ends the download early (the headers are already sent).
pub fn stream_download<F, Fut>(name: &str, header: &[&str], produce: F) -> anyhow::Result<Response>
where
    F: FnOnce(RowSink) -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<RowSink>> + Send,
{
    let (sender, mut receiver) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let sink = RowSink {
        chunks: Chunks::new(header)?,
        sender: sender.clone(),
    };
    tokio::spawn(
        async move {
            let finished = async {
                let sink = produce(sink).await?;
                let rest = sink.chunks.finish()?;
                anyhow::Ok((sink.sender, rest))
            };
            match finished.await {
                Ok((sender, rest)) => {
                    sender.send(Ok(rest)).await.ok();
                }
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), "CSV export ended early");
                    sender
                        .send(Err(std::io::Error::other("export failed")))
                        .await
                        .ok();
                }
            }
        }
        .in_current_span(),
    );
    let body = futures_util::stream::poll_fn(move |context| receiver.poll_recv(context));
    Ok(download_body(name, Body::from_stream(body)))
}

/// A download response named `<name>-<date>.csv`.
pub fn download(name: &str, body: Vec<u8>) -> Response {
    download_body(name, Body::from(body))
}

/// A download response named `<name>-<date>.csv` whose body may be a stream.
pub fn download_body(name: &str, body: Body) -> Response {
    let today = time::OffsetDateTime::now_utc().date();
    let disposition = format!("attachment; filename=\"{name}-{today}.csv\"");
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("Payroll"), "Payroll");
    }

    #[test]
    fn chunks_hold_the_same_file_as_a_whole_write() {
        let rows: Vec<Vec<String>> = (0..5_000)
            .map(|n| vec![format!("Service {n}"), format!("=cmd {n}")])
            .collect();
        let mut chunks = Chunks::new(&["name", "note"]).unwrap();
        let mut streamed = Vec::new();
        let mut count = 0;
        for row in &rows {
            if let Some(chunk) = chunks.row(row).unwrap() {
                assert!(chunk.len() >= CHUNK_BYTES);
                streamed.extend(chunk);
                count += 1;
            }
        }
        streamed.extend(chunks.finish().unwrap());
        assert!(count >= 1, "a 100 KB file is sent in more than one chunk");
        assert_eq!(streamed, to_csv(&["name", "note"], rows).unwrap());
    }

    #[test]
    fn files_start_with_a_bom_and_quote_properly() {
        let bytes = to_csv(
            &["name", "note"],
            vec![vec!["Zoë".into(), "a, \"b\"".into()]],
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("Zoë,\"a, \"\"b\"\"\""));
    }
}
