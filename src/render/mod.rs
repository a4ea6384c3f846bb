//! Output: commands build [`Rows`]; this module turns them into a table,
//! markdown, JSON or CSV. Colour is a hint (`Tone`) applied only to tables
//! on a colour-capable stdout. One file per writer: `table`, `markdown`,
//! `machine` (CSV; JSON is the values' own), `plan` (the Customer Success Plan),
//! and one file per area for what a command shows of the data a use case
//! returns (`health`, `churn`, `tickets`, `today`, `backtest`, `customer`).

pub mod backtest;
pub mod churn;
pub mod customer;
pub mod evidence;
pub mod figure;
pub mod health;
pub mod import;
mod machine;
mod markdown;
pub mod plan;
pub mod revenue;
pub mod sequences;
mod table;
pub mod tickets;
pub mod today;
pub mod trends;
mod value;

use std::io::Write;

use anyhow::Result;
use serde_json::{Map, Value as Json};

pub use crate::escape::visible;
pub use markdown::{exit_survey, markdown_head, markdown_row, markdown_table, md_escape};
pub use table::{fit_hint, fit_text, header_label, new_table, Grid, Role};
pub use value::{emoji, money, money_json, money_shown, set_currency, Cell, Tone, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Markdown,
    Json,
    Csv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// A result set: column names (the JSON/CSV field names) and rows.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Columns shown only in JSON and CSV (tables stay narrow).
    pub hidden: Vec<&'static str>,
    /// Roles set by the table, over those [`Rows::role_of`] infers.
    pub roles: Vec<(&'static str, Role)>,
    /// The columns a table drops first when it cannot fit the terminal.
    pub drop: Vec<&'static str>,
    /// The columns a table never drops: the ones it ranks or groups by.
    pub keep: Vec<&'static str>,
    /// What a table or markdown says instead of a bare header when there are no rows.
    pub empty: Option<String>,
}

impl Rows {
    pub fn new(columns: &[&'static str]) -> Rows {
        Rows { columns: columns.to_vec(), ..Rows::default() }
    }
    pub fn hide(mut self, columns: &[&'static str]) -> Rows {
        self.hidden = columns.to_vec();
        self
    }
    /// The columns to drop first, in order, when the table cannot fit the
    /// terminal (before them: the ones zero or empty in every row; after
    /// them: free text, then the others from the last).
    pub fn drop_order(mut self, columns: &[&'static str]) -> Rows {
        self.drop = columns.to_vec();
        self
    }
    /// The columns a table never drops (besides its first): what it ranks or groups by.
    pub fn keep(mut self, columns: &[&'static str]) -> Rows {
        self.keep = columns.to_vec();
        self
    }
    /// Whether column `i` is zero or empty in every row: null or empty text
    /// shown as nothing or a dash, or a zero number or amount.
    fn is_blank(&self, i: usize) -> bool {
        self.rows.iter().all(|r| match &r[i].value {
            Value::Null => matches!(r[i].text().trim(), "" | "-" | "—" | "n/a"),
            Value::Text(s) => s.trim().is_empty(),
            Value::Int(0) | Value::Money(crate::money::Cents(0)) => true,
            Value::Num(x, _) => *x == 0.0,
            _ => false,
        })
    }
    /// The sentence said (on stderr) instead of an empty table: "No overdue tickets."
    pub fn when_empty(mut self, sentence: impl Into<String>) -> Rows {
        self.empty = Some(sentence.into());
        self
    }
    /// Sets the role of columns whose name and values do not say it.
    pub fn role(mut self, columns: &[&'static str], role: Role) -> Rows {
        self.roles.extend(columns.iter().map(|c| (*c, role)));
        self
    }

    /// A column's role: as set, else by its values (money, dates and times,
    /// numbers), else by its name (`id`, `*_id`; the words of a small set
    /// such as `status` or `kind`); any other text is free text and wraps.
    pub fn role_of(&self, i: usize) -> Role {
        let col = self.columns[i];
        if let Some((_, r)) = self.roles.iter().find(|(c, _)| *c == col) {
            return *r;
        }
        let first = self.rows.iter().map(|r| &r[i].value).find(|v| !matches!(v, Value::Null));
        match first {
            Some(Value::Money(_)) => return Role::Money,
            Some(Value::Date(_) | Value::Time(_)) => return Role::Date,
            Some(Value::Int(_) | Value::Num(..) | Value::Bool(_)) => return Role::Number,
            _ => {}
        }
        const WORDS: [&str; 17] = [
            "status",
            "kind",
            "signal",
            "category",
            "priority",
            "channel",
            "sequence",
            "stage",
            "unit",
            "source",
            "set",
            "preset",
            "key",
            "band",
            "month",
            "revenue_status",
            "until",
        ];
        if col == "id" || col.ends_with("_id") {
            Role::Id
        } else if WORDS.contains(&col) || col.ends_with("_on") || col.ends_with("_at") || first.is_none() {
            Role::Band
        } else {
            Role::Text
        }
    }
    /// These columns with `body`'s rows (see [`Rows::stream`] for rows that are not held).
    pub fn filled(mut self, body: impl Iterator<Item = Vec<Cell>>) -> Rows {
        self.rows.extend(body);
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

    /// The table, fitted to the terminal (see [`Grid`]).
    pub fn to_table(&self, color: bool) -> String {
        let cols = self.visible();
        let grid = Grid {
            head: cols.iter().map(|&i| header_label(self.columns[i])).collect(),
            roles: cols.iter().map(|&i| self.role_of(i)).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| cols.iter().map(|&i| (r[i].text(), r[i].tone)).collect())
                .collect(),
            drop: self.drop.iter().filter_map(|d| cols.iter().position(|&i| self.columns[i] == *d)).collect(),
            keep: self.keep.iter().filter_map(|d| cols.iter().position(|&i| self.columns[i] == *d)).collect(),
            blank: (0..cols.len()).filter(|&k| self.is_blank(cols[k])).collect(),
        };
        grid.render(color)
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
            w.write_record(r.iter().map(|c| machine::csv_cell(&c.value)))?;
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

    /// Writes these columns with `body` (the rows, as they come) to stdout
    /// as JSON, CSV or markdown, holding one row at a time; the bytes are
    /// those of [`Rows::render`] with the same rows. A table needs every row
    /// for its widths: for `Format::Table` they are gathered first.
    pub fn stream<R: AsRef<[Cell]>>(
        &self,
        format: Format,
        color: bool,
        body: impl Iterator<Item = R>,
    ) -> Result<()> {
        match format {
            Format::Json => out_json_seq(body.map(|r| Ok(self.object(r.as_ref())))),
            Format::Csv => out_csv_seq(&self.columns, body.map(Ok)),
            Format::Markdown => {
                let cols = self.visible();
                let head: Vec<String> = cols.iter().map(|&i| header_label(self.columns[i])).collect();
                let mut o = std::io::BufWriter::new(std::io::stdout().lock());
                let mut written = o.write_all(markdown_head(&head).as_bytes());
                for r in body {
                    let r = r.as_ref();
                    let cells: Vec<String> = cols.iter().map(|&i| r[i].text()).collect();
                    written = written.and_then(|_| o.write_all(markdown_row(&cells).as_bytes()));
                    if written.is_err() {
                        break;
                    }
                }
                written
                    .and_then(|_| o.flush())
                    .map_err(|e| anyhow::Error::new(e).context("could not write to stdout"))
            }
            Format::Table => {
                let mut all = Rows { rows: Vec::new(), ..self.clone() };
                all.rows.extend(body.map(|r| r.as_ref().to_vec()));
                out(&all.to_table(color))
            }
        }
    }
}

/// A count with its noun in agreement: "1 snapshot", "3 snapshots".
pub fn count(n: impl Into<i64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Writes a JSON array to stdout as its items come (pretty, exactly as
/// `serde_json::to_string_pretty` of the whole array), so a long list never
/// sits in memory. An item that fails stops the array and is the error.
pub fn out_json_seq(items: impl Iterator<Item = Result<Json>>) -> Result<()> {
    use serde::Serializer as _;
    let mut failed = None;
    let mut o = std::io::BufWriter::new(std::io::stdout().lock());
    let mut ser = serde_json::Serializer::with_formatter(&mut o, serde_json::ser::PrettyFormatter::new());
    let items = items.map_while(|r| r.map_err(|e| failed = Some(e)).ok());
    let written = ser.collect_seq(items).map_err(std::io::Error::from).and_then(|_| o.write_all(b"\n"));
    if let Some(e) = failed {
        return Err(e);
    }
    match written.and_then(|_| o.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe unwinds like any error; `main_entry` makes it exit 0.
        Err(e) => Err(anyhow::Error::new(e).context("could not write to stdout")),
    }
}

/// Writes CSV rows to stdout as they come: the header, then each row.
pub fn out_csv_seq<R: AsRef<[Cell]>>(columns: &[&str], rows: impl Iterator<Item = Result<R>>) -> Result<()> {
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(std::io::stdout().lock()));
    let mut written = w.write_record(columns);
    for r in rows {
        let cells = r?;
        written =
            written.and_then(|_| w.write_record(cells.as_ref().iter().map(|c| machine::csv_cell(&c.value))));
        if written.is_err() {
            break;
        }
    }
    let io = match written {
        Ok(()) => w.flush(),
        Err(e) => match e.into_kind() {
            csv::ErrorKind::Io(io) => Err(io),
            other => Err(std::io::Error::other(format!("{other:?}"))),
        },
    };
    match io {
        Ok(()) => Ok(()),
        // A closed pipe unwinds like any error; `main_entry` makes it exit 0.
        Err(e) => Err(anyhow::Error::new(e).context("could not write to stdout")),
    }
}

/// Writes the answer to stdout. A closed pipe (`csf ... | head`) is returned
/// as an error like any other, so that the caller unwinds (temporary folders
/// are removed, transactions roll back); `main_entry` turns it into exit 0.
pub fn out(s: &str) -> Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(s.as_bytes())
        .and_then(|_| o.flush())
        .map_err(|e| anyhow::Error::new(e).context("could not write to stdout"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_escapes_formulas_but_not_numbers() {
        let mut r = Rows::new(&["a", "b", "c"]);
        r.push(vec!["=1+1".into(), Value::Int(-3).into(), Value::Money(crate::money::Cents(-150)).into()]);
        assert_eq!(r.to_csv().unwrap(), "a,b,c\n'=1+1,-3,-1.50\n");
    }

    #[test]
    fn json_uses_typed_values() {
        let mut r = Rows::new(&["t", "n", "x"]);
        r.push(vec![Value::Time(0).into(), Value::Null.into(), Value::Num(1.2345, 1).into()]);
        assert_eq!(r.to_json().to_string(), r#"[{"t":"1970-01-01T00:00:00Z","n":null,"x":1.2345}]"#);
    }

    #[test]
    fn a_column_zero_or_empty_in_every_row_is_blank() {
        use crate::money::Cents;
        let mut r = Rows::new(&["month", "zero", "none", "some", "dash"]);
        for (some, dash) in [(0, "-"), (5, "—")] {
            r.push(vec![
                "2026-01".into(),
                Value::Money(Cents(0)).into(),
                Value::Null.into(),
                Value::Money(Cents(some)).into(),
                Cell::from(Value::Null).shown(dash),
            ]);
        }
        let blank: Vec<bool> = (0..5).map(|i| r.is_blank(i)).collect();
        assert_eq!(blank, [false, true, true, false, true]);
    }
}
