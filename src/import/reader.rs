//! Reading CSV bytes: the quote scanner that gives physical line numbers
//! (LF, CRLF or old Mac CR line ends, a BOM, quoted newlines, blank lines),
//! finds a quote left open and bounds the length of a field or line; and the
//! wording of read errors.

use std::collections::VecDeque;
use std::io::Read;

use anyhow::{anyhow, bail};

use super::fields::fields;
use super::ImportKind;

pub(super) fn header_hint(kind: ImportKind) -> String {
    let names: Vec<&str> = fields(kind).iter().filter(|f| f.required).map(|f| f.name).collect();
    format!("{} needs at least: {}", kind.name(), names.join(", "))
}

/// The longest field or record csf reads (1 MiB): memory stays bounded on
/// any input, such as a binary file or `/dev/zero`.
pub const MAX_RECORD: u64 = 1 << 20;

/// The wording of an over-long line or field, after `FILE:`.
pub fn too_long_message(line: u64, what: &str) -> String {
    format!(
        "{line}: {what} longer than 1 MiB (csf reads at most {MAX_RECORD} bytes per field or line); \
         nothing was imported — is this a CSV file?"
    )
}

pub(super) fn read_error<R>(source: &str, e: csv::Error, scanner: &Scanner<R>) -> anyhow::Error {
    if let Some(m) = &scanner.too_long {
        return anyhow!("{source}:{m}");
    }
    match scanner.encoding {
        Some(binary) if binary.starts_with("not") => {
            return anyhow!("{source} is {binary}; nothing was imported — is this a CSV file?");
        }
        Some(encoding) => {
            return anyhow!(
                "{source} is {encoding}; save it as UTF-8 (a spreadsheet's \"CSV UTF-8\", or `iconv -f {} -t \
                 UTF-8`) and import it again; nothing was imported",
                if encoding.contains("big") { "UTF-16BE" } else { "UTF-16LE" }
            );
        }
        None => {}
    }
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    match e.kind() {
        csv::ErrorKind::Io(io) => anyhow!("could not read {source}: {io}"),
        _ => anyhow!("{source}:{line}: malformed CSV ({e}); nothing was imported"),
    }
}

/// Follows the CSV quoting as bytes stream past the parser (RFC 4180, as
/// the csv crate reads it): where each record starts (its physical line,
/// blank lines skipped), whether a quoted field is still open at the end and
/// on which line it opened, and how many bytes were read (for progress).
pub(super) struct Scanner<R> {
    inner: R,
    delimiter: u8,
    pub(super) bytes: u64,
    line: u64,
    /// Start lines of records seen but not yet taken by the importer.
    pub(super) starts: VecDeque<u64>,
    at_record_start: bool,
    at_field_start: bool,
    in_quotes: bool,
    /// A `"` inside quotes: either an escaped quote or the closing one.
    quote_pending: bool,
    opened_on: u64,
    /// Bytes of the current field and record (delimiters and quoted line
    /// ends included), and the line the record started on.
    field_len: u64,
    record_len: u64,
    record_line: u64,
    /// Set when a field or record passed [`MAX_RECORD`]: the message.
    pub(super) too_long: Option<String>,
    /// Set when the first bytes are a UTF-16 BOM or the NUL pattern of
    /// UTF-16 text: the encoding's name. Nothing past them is read.
    pub(super) encoding: Option<&'static str>,
    /// The previous byte was `\r`: a `\n` now ends no new line (CRLF), while
    /// a lone `\r` (old Mac line ends) is a line end of its own.
    after_cr: bool,
    /// Whether the start of the input was checked for a UTF-8 BOM, and the
    /// bytes read ahead for that check that were not a BOM.
    bom_checked: bool,
    pending: Vec<u8>,
    /// The bytes that change the scanner's state outside quotes: line ends,
    /// `"` and the delimiter. Runs of other bytes are skipped in bulk.
    special: [bool; 256],
}

impl<R> Scanner<R> {
    pub(super) fn new(inner: R, delimiter: u8) -> Self {
        Scanner {
            inner,
            delimiter,
            bytes: 0,
            line: 1,
            starts: VecDeque::new(),
            at_record_start: true,
            at_field_start: true,
            in_quotes: false,
            quote_pending: false,
            opened_on: 0,
            field_len: 0,
            record_len: 0,
            record_line: 1,
            too_long: None,
            encoding: None,
            after_cr: false,
            bom_checked: false,
            pending: Vec::new(),
            special: {
                let mut t = [false; 256];
                for b in [b'\n', b'\r', b'"', delimiter] {
                    t[b as usize] = true;
                }
                t
            },
        }
    }

    /// Follows `buf`; false (with `too_long` set) as soon as a field or
    /// record passes [`MAX_RECORD`].
    fn scan(&mut self, buf: &[u8]) -> bool {
        let mut i = 0;
        while i < buf.len() {
            // The common case, inside an unquoted field: skip to the next
            // byte that matters, counting the run's length.
            if !self.in_quotes && !self.at_record_start && !self.after_cr {
                let start = i;
                while i < buf.len() && !self.special[buf[i] as usize] {
                    i += 1;
                }
                if i > start {
                    let n = (i - start) as u64;
                    self.field_len += n;
                    self.record_len += n;
                    self.at_field_start = false;
                    if self.record_len > MAX_RECORD {
                        let what = if self.field_len > MAX_RECORD { "a field" } else { "a line" };
                        self.too_long = Some(too_long_message(self.record_line, what));
                        return false;
                    }
                }
                if i == buf.len() {
                    break;
                }
            }
            let b = buf[i];
            i += 1;
            let after_cr = std::mem::replace(&mut self.after_cr, b == b'\r');
            let line_end = b == b'\r' || (b == b'\n' && !after_cr);
            self.field_len += 1;
            self.record_len += 1;
            if self.record_len > MAX_RECORD {
                let what = if self.in_quotes || self.field_len > MAX_RECORD { "a field" } else { "a line" };
                self.too_long = Some(too_long_message(self.record_line, what));
                return false;
            }
            if self.in_quotes {
                if self.quote_pending {
                    self.quote_pending = false;
                    if b == b'"' {
                        continue; // "" is an escaped quote
                    }
                    self.in_quotes = false; // the quote closed the field; b is outside
                } else {
                    if b == b'"' {
                        self.quote_pending = true;
                    } else if line_end {
                        self.line += 1;
                    }
                    continue;
                }
            }
            match b {
                b'\n' | b'\r' => {
                    if line_end {
                        self.line += 1;
                    }
                    self.at_record_start = true;
                    self.at_field_start = true;
                    self.field_len = 0;
                    self.record_len = 0;
                    self.record_line = self.line;
                }
                _ => {
                    if self.at_record_start {
                        self.starts.push_back(self.line);
                        self.at_record_start = false;
                        self.record_line = self.line;
                    }
                    if b == self.delimiter {
                        self.at_field_start = true;
                        self.field_len = 0;
                    } else {
                        if self.at_field_start && b == b'"' {
                            self.in_quotes = true;
                            self.opened_on = self.line;
                        }
                        self.at_field_start = false;
                    }
                }
            }
        }
        true
    }

    /// The line where a quoted field opened that never closed, at the end.
    pub(super) fn unclosed_quote(&self) -> Option<u64> {
        (self.in_quotes && !self.quote_pending).then_some(self.opened_on)
    }
}

impl<R: Read> Read for Scanner<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.too_long.is_some() || self.encoding.is_some() {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "not CSV text csf can read"));
        }
        if !self.bom_checked {
            // A BOM is not data: csv-core drops it too, and a `"` after it
            // still opens a quoted field.
            self.bom_checked = true;
            let mut head = [0u8; 4];
            let mut got = 0;
            while got < 4 {
                match self.inner.read(&mut head[got..]) {
                    Ok(0) => break,
                    Ok(n) => got += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            self.bytes += got as u64;
            self.encoding = utf16(&head[..got]);
            if self.encoding.is_some() {
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8"));
            }
            let bom = head[..got.min(3)] == *b"\xef\xbb\xbf";
            self.pending = head[if bom { 3 } else { 0 }..got].to_vec();
        }
        let n = if self.pending.is_empty() {
            let n = self.inner.read(buf)?;
            self.bytes += n as u64;
            n
        } else {
            let n = self.pending.len().min(buf.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            n
        };
        if !self.scan(&buf[..n]) {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "a field or line is too long"));
        }
        Ok(n)
    }
}

/// UTF-16 by its BOM, or by the NUL bytes that ASCII text has in UTF-16
/// (`i\0d\0` little-endian, `\0i\0d` big-endian): no CSV csf reads starts
/// with a NUL byte.
fn utf16(head: &[u8]) -> Option<&'static str> {
    match head {
        [0xff, 0xfe, ..] => Some("UTF-16 (little-endian, with a BOM)"),
        [0xfe, 0xff, ..] => Some("UTF-16 (big-endian, with a BOM)"),
        [a, 0, ..] if *a != 0 => Some("UTF-16 (little-endian)"),
        [0, b, ..] if *b != 0 => Some("UTF-16 (big-endian)"),
        [0, 0, ..] => Some("not UTF-8 text (it starts with NUL bytes: UTF-32 or a binary file)"),
        _ => None,
    }
}

/// The first byte of `rec` that is not UTF-8, as an error naming the line,
/// the column and the byte (a file saved as Latin-1 or Windows-1252).
pub(super) fn check_utf8(
    source: &str,
    line: u64,
    rec: &csv::ByteRecord,
    headers: &[String],
) -> anyhow::Result<()> {
    if std::str::from_utf8(rec.as_slice()).is_ok() {
        return Ok(());
    }
    for (i, cell) in rec.iter().enumerate() {
        if let Err(e) = std::str::from_utf8(cell) {
            let at = e.valid_up_to();
            let column = match headers.get(i) {
                Some(h) => format!("column \"{}\"", crate::escape::visible(h)),
                _ => format!("field {}", i + 1),
            };
            bail!(
                "{source}:{line} is not UTF-8 ({column}, byte {} of the cell is 0x{:02x}: the file looks \
                 like Latin-1 or Windows-1252); save it as UTF-8 (a spreadsheet's \"CSV UTF-8\", or \
                 `iconv -f WINDOWS-1252 -t UTF-8`) and import it again; nothing was imported",
                at + 1,
                cell[at]
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The scanner sees the same records as the csv parser, at the right
        /// physical lines, whatever the quoting, line ends (LF, CRLF, CR), a
        /// BOM before a quoted multi-line header and blank lines.
        #[test]
        fn the_scanner_agrees_with_the_csv_parser(
            rows in proptest::collection::vec(proptest::collection::vec("[a-z ,\"\n]{0,8}", 1..4), 1..6),
            nl in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
            bom in any::<bool>(),
            blank_after in 0usize..6,
        ) {
            let mut text = format!("{}\"h\nh\"{nl}", if bom { "\u{feff}" } else { "" });
            let mut want_lines = vec![1u64];
            let mut line = 3u64;
            for (i, r) in rows.iter().enumerate() {
                want_lines.push(line);
                let fields: Vec<String> = r.iter().map(|f| format!("\"{}\"", f.replace('"', "\"\""))).collect();
                let rec = fields.join(",");
                line += rec.matches('\n').count() as u64 + 1;
                text.push_str(&rec);
                text.push_str(nl);
                if i == blank_after {
                    text.push_str(nl);
                    line += 1;
                }
            }
            let mut sc = Scanner::new(text.as_bytes(), b',');
            let mut sink = Vec::new();
            sc.read_to_end(&mut sink).unwrap();
            prop_assert_eq!(sc.unclosed_quote(), None);
            prop_assert_eq!(sc.starts.iter().copied().collect::<Vec<_>>(), want_lines);
            let parsed: Vec<csv::StringRecord> = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(sink.as_slice()).records().map(Result::unwrap).collect();
            prop_assert_eq!(parsed.len(), rows.len() + 1);
            prop_assert_eq!(&parsed[0][0], "h\nh");
        }
    }

    /// Bytes that make CSV interesting: quotes, delimiters, line ends, a BOM's
    /// and UTF-16's bytes, NUL, bytes that are not UTF-8, digits and dates.
    fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            4 => any::<u8>().prop_map(|b| vec![b]),
            4 => proptest::sample::select(vec![&b","[..], b";", b"\"", b"\n", b"\r\n", b"\r", b" ", b"\0", b"\xff", b"\xfe", b"\xe9", b"\xef\xbb\xbf"]).prop_map(<[u8]>::to_vec),
            3 => proptest::sample::select(vec![&b"customer"[..], b"id", b"email", b"timestamp", b"event", b"score", b"responded_at", b"date", b"amount", b"status", b"created_at", b"mrr", b"acme", b"1"]).prop_map(<[u8]>::to_vec),
            2 => proptest::sample::select(vec![&b"2026-11-01"[..], b"9999-12-31T23:00:00-02:00", b"1795000000", b"49.00", b"-1", b"paid", b"9", b"a@b.c"]).prop_map(<[u8]>::to_vec),
        ];
        proptest::collection::vec(piece, 0..120).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        /// Any bytes through the import: no panic; either an error with a
        /// message and nothing written, or every record the csv parser
        /// finds after the header read as a row.
        #[test]
        fn any_bytes_give_an_error_or_their_rows(bytes in csv_bytes(), kind in 0usize..5, skip in any::<bool>()) {
            let kind = super::super::ImportKind::ALL[kind];
            let opts = super::super::ImportOptions { skip_invalid: skip, create_missing: skip, ..Default::default() };
            let mut conn = crate::store::open_memory().unwrap();
            let count = |c: &rusqlite::Connection| -> i64 {
                c.query_row("SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM usage_events) + (SELECT count(*) FROM nps_responses) + (SELECT count(*) FROM billing_records) + (SELECT count(*) FROM tickets) + (SELECT count(*) FROM import_log)", [], |r| r.get(0)).unwrap()
            };
            match super::super::import(&mut conn, kind, bytes.as_slice(), "p.csv", &opts, 1_795_000_000, None) {
                Ok(summary) => {
                    let records = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes.as_slice()).byte_records().count() as u64;
                    prop_assert_eq!(summary.rows_read + 1, records, "{:?}", summary);
                }
                Err(e) => {
                    let message = format!("{e:#}");
                    prop_assert!(!message.is_empty());
                    prop_assert_eq!(count(&conn), 0, "a failed import wrote rows: {:#}", e);
                }
            }
        }
    }
}
