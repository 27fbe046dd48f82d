//! CSV files that are safe to open in a spreadsheet: a UTF-8 BOM so accents survive, and cells
//! that a spreadsheet would run as a formula neutralised.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

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

/// A download response named `<name>-<date>.csv`.
pub fn download(name: &str, body: Vec<u8>) -> Response {
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
