//! Typed values and cells: what JSON and CSV print (the value at full
//! precision) and what tables and markdown show (its display text).

use serde_json::{json, Value as Json};

use crate::domain::targets::Status;
use crate::time;

/// A typed value: JSON and CSV print the value, tables and markdown its display text.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    /// A measured number: full precision in JSON and CSV, this many decimals in tables.
    Num(f64, usize),
    Text(String),
    /// Integer cents, printed as a decimal amount.
    Money(Cents),
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
    pub fn opt_money(v: Option<Cents>) -> Value {
        v.map_or(Value::Null, Value::Money)
    }

    pub fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Int(i) => json!(i),
            // Full precision (docs/json.md): only tables and markdown round.
            Value::Num(f, _) if f.is_finite() => json!(f),
            Value::Num(..) => Json::Null,
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
            Value::Num(f, _) if f.is_finite() => f.to_string(),
            Value::Num(..) => String::new(),
            Value::Text(s) | Value::Date(s) => s.clone(),
            Value::Money(c) => money(*c),
            Value::Time(t) => time::rfc3339(*t),
            Value::Bool(b) => b.to_string(),
        }
    }

    fn display(&self) -> String {
        match self {
            Value::Null => "-".into(),
            Value::Money(c) => money_shown(*c),
            Value::Num(f, d) => super::figure::fixed(*f, *d),
            Value::Time(t) => time::short(*t),
            v => v.plain(),
        }
    }
}

pub use crate::money::{money, money_shown, set_currency, Cents};

/// Cents as a JSON number in currency units, printed exactly (`49.9`, not `49.900000001`).
pub fn money_json(cents: Cents) -> Json {
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
    /// The colour of a status against its target: green, yellow, red, dim for n/a.
    pub fn of(s: Status) -> Tone {
        match s {
            Status::Green => Tone::Green,
            Status::Yellow => Tone::Yellow,
            Status::Red => Tone::Red,
            Status::NoData => Tone::Dim,
        }
    }

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

/// The status as markdown shows it: 🟢 🟡 🔴, ⚪ for n/a.
pub fn emoji(s: Status) -> &'static str {
    match s {
        Status::Green => "🟢",
        Status::Yellow => "🟡",
        Status::Red => "🔴",
        Status::NoData => "⚪",
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
    pub fn text(&self) -> String {
        let t = self.display.clone().unwrap_or_else(|| self.value.display());
        super::visible(&t).into_owned()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_half_away_from_zero_for_the_eye_only() {
        let c = Cell::from(Value::Num(56.25, 1));
        assert_eq!(c.text(), "56.3");
        assert_eq!(c.value.to_json(), serde_json::json!(56.25));
        assert_eq!(Cell::from(Value::Num(-0.04, 1)).text(), "0.0");
    }

    #[test]
    fn money_is_exact() {
        assert_eq!(money(Cents(4900)), "49.00");
        assert_eq!(money(Cents(-1250)), "-12.50");
        assert_eq!(money(Cents(5)), "0.05");
        assert_eq!(money_json(Cents(4990)).to_string(), "49.9");
        assert_eq!(money_json(Cents(-5)).to_string(), "-0.05");
    }
}
