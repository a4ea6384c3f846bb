//! Output: commands build [`Rows`]; this module turns them into a table,
//! markdown, JSON or CSV. Colour is a hint (`Tone`) applied only to tables
//! on a colour-capable stdout.

use std::io::Write;

use anyhow::Result;
use comfy_table::{presets, Cell as TCell, ContentArrangement, Table};
use serde_json::{json, Map, Value as Json};

use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Json,
    Csv,
}

/// A typed value: JSON and CSV print the value, tables and markdown its display text.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    /// A number printed with a fixed count of decimals in tables.
    Num(f64, usize),
    Text(String),
    /// Integer cents, printed as a decimal amount.
    Money(i64),
    /// A `YYYY-MM-DD` date.
    Date(String),
    /// Unix seconds, printed as RFC 3339 UTC.
    Time(i64),
    Bool(bool),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }
    pub fn opt_text(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::Null, |s| Value::Text(s.into()))
    }
    pub fn opt_int(v: Option<i64>) -> Value {
        v.map_or(Value::Null, Value::Int)
    }
    pub fn opt_time(v: Option<i64>) -> Value {
        v.map_or(Value::Null, Value::Time)
    }
    pub fn opt_money(v: Option<i64>) -> Value {
        v.map_or(Value::Null, Value::Money)
    }

    pub fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Int(i) => json!(i),
            Value::Num(f, d) => {
                let p = 10f64.powi(*d as i32);
                json!((f * p).round() / p)
            }
            Value::Text(s) | Value::Date(s) => json!(s),
            Value::Money(c) => money_json(*c),
            Value::Time(t) => json!(time::rfc3339(*t)),
            Value::Bool(b) => json!(b),
        }
    }

    /// The plain text of the value (CSV cells, default display).
    pub fn plain(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Int(i) => i.to_string(),
            Value::Num(f, d) => format!("{f:.d$}", d = *d),
            Value::Text(s) | Value::Date(s) => s.clone(),
            Value::Money(c) => money(*c),
            Value::Time(t) => time::rfc3339(*t),
            Value::Bool(b) => b.to_string(),
        }
    }

    fn display(&self) -> String {
        match self {
            Value::Null => "-".into(),
            Value::Time(t) => time::short(*t),
            v => v.plain(),
        }
    }
}

/// Cents as a decimal string: `4900` → `49.00`, `-1250` → `-12.50`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let a = cents.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Cents as a JSON number in currency units, printed exactly (`49.9`, not `49.900000001`).
pub fn money_json(cents: i64) -> Json {
    serde_json::from_str(&money(cents)).unwrap_or(Json::Null)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Green,
    Yellow,
    Red,
    Dim,
}

impl Tone {
    /// ANSI-wrap `s` when colour is on.
    pub fn paint(self, s: &str, color: bool) -> String {
        let code = match self {
            Tone::Plain => return s.to_string(),
            Tone::Green => "32",
            Tone::Yellow => "33",
            Tone::Red => "31",
            Tone::Dim => "2",
        };
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// One cell: a typed value, an optional display override for tables and
/// markdown (e.g. "3 days ago"), and a colour hint.
#[derive(Debug, Clone)]
pub struct Cell {
    pub value: Value,
    pub display: Option<String>,
    pub tone: Tone,
}

impl Cell {
    pub fn shown(mut self, display: impl Into<String>) -> Cell {
        self.display = Some(display.into());
        self
    }
    pub fn tone(mut self, tone: Tone) -> Cell {
        self.tone = tone;
        self
    }
    fn text(&self) -> String {
        self.display.clone().unwrap_or_else(|| self.value.display())
    }
}

impl From<Value> for Cell {
    fn from(value: Value) -> Cell {
        Cell { value, display: None, tone: Tone::Plain }
    }
}
impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Value::text(s).into()
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Value::Text(s).into()
    }
}
impl From<i64> for Cell {
    fn from(i: i64) -> Cell {
        Value::Int(i).into()
    }
}
impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Cell {
        Value::opt_text(s).into()
    }
}

/// A result set: column names (the JSON/CSV field names) and rows.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Columns shown only in JSON and CSV (tables stay narrow).
    pub hidden: Vec<&'static str>,
}

impl Rows {
    pub fn new(columns: &[&'static str]) -> Rows {
        Rows { columns: columns.to_vec(), rows: Vec::new(), hidden: Vec::new() }
    }
    pub fn hide(mut self, columns: &[&'static str]) -> Rows {
        self.hidden = columns.to_vec();
        self
    }
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn visible(&self) -> Vec<usize> {
        (0..self.columns.len()).filter(|i| !self.hidden.contains(&self.columns[*i])).collect()
    }

    pub fn to_json(&self) -> Json {
        Json::Array(self.rows.iter().map(|r| self.object(r)).collect())
    }

    pub fn object(&self, row: &[Cell]) -> Json {
        let mut m = Map::new();
        for (c, cell) in self.columns.iter().zip(row) {
            m.insert((*c).to_string(), cell.value.to_json());
        }
        Json::Object(m)
    }

    pub fn to_table(&self, color: bool) -> String {
        let cols = self.visible();
        let mut t = new_table(color);
        t.set_header(cols.iter().map(|&i| header_label(self.columns[i])));
        for r in &self.rows {
            t.add_row(cols.iter().map(|&i| {
                let c = &r[i];
                TCell::new(c.tone.paint(&c.text(), color))
            }));
        }
        format!("{t}\n")
    }

    pub fn to_markdown(&self) -> String {
        let cols = self.visible();
        let head: Vec<String> = cols.iter().map(|&i| header_label(self.columns[i])).collect();
        let body: Vec<Vec<String>> =
            self.rows.iter().map(|r| cols.iter().map(|&i| r[i].text()).collect()).collect();
        markdown_table(&head, &body)
    }

    pub fn to_csv(&self) -> Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.columns)?;
        for r in &self.rows {
            w.write_record(r.iter().map(|c| csv_cell(&c.value)))?;
        }
        Ok(String::from_utf8(w.into_inner()?)?)
    }

    /// Renders in `format`; `empty` is said (in tables and markdown) when there are no rows.
    pub fn render(&self, format: Format, color: bool) -> Result<String> {
        Ok(match format {
            Format::Table => self.to_table(color),
            Format::Markdown => self.to_markdown(),
            Format::Json => format!("{}\n", serde_json::to_string_pretty(&self.to_json())?),
            Format::Csv => self.to_csv()?,
        })
    }
}

/// A comfy-table in the house style. Cells carry their own ANSI colour
/// (`Tone::paint`), which comfy-table measures correctly (`custom_styling`).
pub fn new_table(_color: bool) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.force_no_tty();
    t
}

/// `change_7d` → `Change 7d`.
pub fn header_label(col: &str) -> String {
    let words: Vec<String> = col
        .split('_')
        .map(|w| match w {
            "mrr" | "nps" | "csat" | "d1" => w.to_uppercase(),
            w => w.to_string(),
        })
        .collect();
    let s = words.join(" ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

/// A CSV cell. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`)
/// is prefixed with `'`; numbers are written as they are.
fn csv_cell(v: &Value) -> String {
    match v {
        Value::Text(s) if s.starts_with(['=', '+', '-', '@']) => format!("'{s}"),
        v => v.plain(),
    }
}

/// Escapes text for a GitHub-flavoured markdown table cell or inline text:
/// `|`, backslashes and markdown punctuation are escaped, newlines become `<br>`.
pub fn md_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                o.push_str("<br>");
            }
            '\n' => o.push_str("<br>"),
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' => {
                o.push('\\');
                o.push(ch);
            }
            c => o.push(c),
        }
    }
    o
}

/// A GFM table; every cell is escaped.
pub fn markdown_table(head: &[String], body: &[Vec<String>]) -> String {
    let mut o = String::new();
    o.push('|');
    for h in head {
        o.push_str(&format!(" {} |", md_escape(h)));
    }
    o.push_str("\n|");
    for _ in head {
        o.push_str("---|");
    }
    o.push('\n');
    for r in body {
        o.push('|');
        for c in r {
            o.push_str(&format!(" {} |", md_escape(c)));
        }
        o.push('\n');
    }
    o
}

/// Writes the answer to stdout. A closed pipe (`csf ... | head`) ends the
/// program quietly with exit 0.
pub fn out(s: &str) -> Result<()> {
    let mut o = std::io::stdout().lock();
    match o.write_all(s.as_bytes()).and_then(|_| o.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(anyhow::Error::new(e).context("could not write to stdout")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact() {
        assert_eq!(money(4900), "49.00");
        assert_eq!(money(-1250), "-12.50");
        assert_eq!(money(5), "0.05");
        assert_eq!(money_json(4990).to_string(), "49.9");
        assert_eq!(money_json(-5).to_string(), "-0.05");
    }

    #[test]
    fn markdown_escapes_pipes_and_newlines() {
        assert_eq!(md_escape("a|b\nc"), "a\\|b<br>c");
        assert_eq!(md_escape("*x*"), "\\*x\\*");
        let t = markdown_table(&["Name".into()], &[vec!["A | B\r\nC".into()]]);
        assert_eq!(t, "| Name |\n|---|\n| A \\| B<br>C |\n");
    }

    #[test]
    fn csv_escapes_formulas_but_not_numbers() {
        let mut r = Rows::new(&["a", "b", "c"]);
        r.push(vec!["=1+1".into(), Value::Int(-3).into(), Value::Money(-150).into()]);
        assert_eq!(r.to_csv().unwrap(), "a,b,c\n'=1+1,-3,-1.50\n");
    }

    #[test]
    fn json_uses_typed_values() {
        let mut r = Rows::new(&["t", "n", "x"]);
        r.push(vec![Value::Time(0).into(), Value::Null.into(), Value::Num(1.2345, 1).into()]);
        assert_eq!(r.to_json().to_string(), r#"[{"t":"1970-01-01T00:00:00Z","n":null,"x":1.2}]"#);
    }
}
