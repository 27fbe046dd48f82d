//! Reading an uploaded CSV file: text encoding, the header line, required columns, size.

use super::ImportKind;
use crate::domain::text::{describe_char, first_control};

/// Columns of free text, where a cell may hold several lines.
const MULTI_LINE_COLUMNS: &[&str] = &[
    "description",
    "notes",
    "vulnerability",
    "cause",
    "event",
    "consequence",
    "treatment_note",
];

/// More rows than any CMDB export we expect; a bigger file is probably not what was meant.
pub const MAX_ROWS: usize = 50_000;

/// The file as rows of named cells; `line` is the file's line number, for messages.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// The trimmed cell of a named column in a row ("" when the column is absent).
    pub fn cell<'a>(&self, row: &'a [String], column: &str) -> &'a str {
        self.headers
            .iter()
            .position(|header| header == column)
            .and_then(|index| row.get(index))
            .map(|cell| cell.trim())
            .unwrap_or("")
    }

    /// Why a row cannot be imported as it is, if a cell holds a control character (tabs and
    /// line breaks are kept in free-text columns) or U+FFFD, which stands for a NUL (see
    /// [`storable`]) or for text damaged when the file was converted.
    pub fn unreadable(&self, row: &[String]) -> Option<String> {
        self.headers.iter().zip(row).find_map(|(header, cell)| {
            let cell = cell.trim();
            if let Some(index) = cell.chars().position(|c| c == '\u{FFFD}') {
                return Some(format!(
                    "Column {header} holds an unreadable character at character {}: a NUL, or text damaged when the file was converted. Correct the file and upload it again.",
                    index + 1
                ));
            }
            let multi_line = MULTI_LINE_COLUMNS.contains(&header.as_str());
            first_control(cell, multi_line).map(|(position, c)| {
                format!(
                    "Column {header} holds an invisible control character, {}, at character {position}. Remove it from the file and upload it again.",
                    describe_char(c)
                )
            })
        })
    }
}

/// The file's text as it can be kept until the import is confirmed: PostgreSQL text cannot hold
/// NUL, so each becomes U+FFFD, and the rows holding one are refused in the preview.
pub fn storable(text: &str) -> String {
    text.replace('\0', "\u{FFFD}")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("The file is empty.")]
    Empty,
    #[error(
        "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and upload it again."
    )]
    NotUtf8,
    #[error("The file lacks the column{} {}. Its first line has: {}.", if .missing.len() == 1 { "" } else { "s" }, .missing.join(", "), .found)]
    MissingColumns { missing: Vec<String>, found: String },
    #[error("Line {line} cannot be read as CSV: {message}")]
    Malformed { line: usize, message: String },
    #[error("The file has more than {MAX_ROWS} rows; split it into smaller files.")]
    TooManyRows,
}

/// Reads a file for an import of `kind`: UTF-8 (a BOM is fine), a header line naming at least
/// the required columns (any case), then rows. Blank rows are skipped.
pub fn read(bytes: &[u8], kind: ImportKind) -> Result<Table, FileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|error| FileError::Malformed {
            line: 1,
            message: error.to_string(),
        })?
        .iter()
        .map(|header| header.trim().to_lowercase())
        .collect();
    let missing: Vec<String> = kind
        .required_columns()
        .into_iter()
        .filter(|required| !headers.iter().any(|header| header == required))
        .map(str::to_string)
        .collect();
    if !missing.is_empty() {
        let found: String = headers.join(", ").chars().take(200).collect();
        return Err(FileError::MissingColumns { missing, found });
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| FileError::Malformed {
            line: error
                .position()
                .map_or(0, |position| position.line() as usize),
            message: error.to_string(),
        })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        let line = record
            .position()
            .map_or(rows.len() + 2, |position| position.line() as usize);
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(Table { headers, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_and_header_case_are_accepted() {
        let table = read(
            "\u{feff}External_ID,Name,Kind\nS1,Frankfurt,data_centre\n".as_bytes(),
            ImportKind::Sites,
        )
        .unwrap();
        assert_eq!(table.rows.len(), 1);
        let (line, row) = &table.rows[0];
        assert_eq!(*line, 2);
        assert_eq!(table.cell(row, "name"), "Frankfurt");
        assert_eq!(table.cell(row, "location"), "");
    }

    #[test]
    fn cells_with_control_characters_are_named_with_their_column() {
        let file = storable(
            "external_id,name,kind,description\nS1,Fr\0ank,office,\nS2,Ok,office,\"two\r\nlines\tx\"\nS3,Bell\u{7},office,\n",
        );
        let table = read(file.as_bytes(), ImportKind::Sites).unwrap();
        let reasons: Vec<Option<String>> = table
            .rows
            .iter()
            .map(|(_, row)| table.unreadable(row))
            .collect();
        assert!(
            reasons[0]
                .as_deref()
                .unwrap()
                .contains("Column name holds an unreadable character at character 3")
        );
        assert_eq!(reasons[1], None);
        assert!(reasons[2].as_deref().unwrap().contains("U+0007"));
    }

    #[test]
    fn latin1_text_is_refused_with_advice() {
        let bytes = b"external_id,name,kind\nS1,M\xfcnchen,office\n";
        assert_eq!(
            read(bytes, ImportKind::Sites).unwrap_err(),
            FileError::NotUtf8
        );
    }

    #[test]
    fn missing_columns_are_named() {
        let error = read(b"id,title\n1,x\n", ImportKind::Services).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("external_id, name, type"), "{message}");
        assert!(message.contains("id, title"), "{message}");
    }

    #[test]
    fn noise_is_refused_not_imported() {
        let noise: Vec<u8> = (0..5000u32)
            .map(|i| b"a,;\"\n\x01zq"[(i * 7 % 8) as usize])
            .collect();
        assert!(read(&noise, ImportKind::Components).is_err());
    }

    #[test]
    fn blank_rows_are_skipped_and_empty_files_refused() {
        let table = read(
            b"external_id,name,kind\n\n,,\nS1,A,office\n",
            ImportKind::Sites,
        )
        .unwrap();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(
            read(b"  \n", ImportKind::Sites).unwrap_err(),
            FileError::Empty
        );
    }
}
