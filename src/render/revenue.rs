//! Revenue as shown: the monthly movements, and the cohort triangle.

use crate::app::revenue::{CohortCell, MonthRevenue};
use anyhow::Result;

use crate::render::{figure, markdown_table, Cell, Format, Role, Rows, Tone, Value};

fn pct(v: Option<f64>) -> Cell {
    match v {
        Some(p) => Cell::from(Value::Num(p, 1)).shown(format!("{}%", figure::fixed(p, 1))),
        None => Value::Null.into(),
    }
}

/// `report revenue`: `month, plan, mrr_start, new, expansion, contraction,
/// churned, reactivation, mrr_end, nrr, grr, customers_start, customers_end`.
pub fn rows(all: &[MonthRevenue], by_plan: bool) -> Rows {
    let mut rows = Rows::new(&[
        "month",
        "plan",
        "mrr_start",
        "new",
        "expansion",
        "contraction",
        "churned",
        "reactivation",
        "mrr_end",
        "nrr",
        "grr",
        "customers_start",
        "customers_end",
        "moved_in",
        "moved_out",
    ]);
    for r in all {
        let m = &r.movements;
        rows.push(vec![
            r.month.clone().into(),
            Value::opt_text(r.plan.clone()).into(),
            Value::Money(m.mrr_start).into(),
            Value::Money(m.new).into(),
            Value::Money(m.expansion).into(),
            Value::Money(m.contraction).into(),
            Value::Money(m.churned).into(),
            Value::Money(m.reactivation).into(),
            Value::Money(m.mrr_end).into(),
            pct(m.nrr()),
            pct(m.grr()),
            Value::Int(m.customers_start).into(),
            Value::Int(m.customers_end).into(),
            if by_plan { Value::Money(m.moved_in) } else { Value::Null }.into(),
            if by_plan { Value::Money(m.moved_out) } else { Value::Null }.into(),
        ]);
    }
    // Dropped first (after all-zero columns): the counts, then the movements;
    // MRR end, NRR, GRR and the plan a row groups by stay.
    let rows = rows
        .drop_order(&["customers_end", "moved_in", "moved_out", "reactivation", "mrr_start"])
        .keep(&["plan", "mrr_end", "nrr", "grr"]);
    if by_plan {
        rows.hide(&["customers_start"])
    } else {
        rows.hide(&["plan", "customers_start", "moved_in", "moved_out"])
    }
}

/// `report cohorts -f json|csv`: one row per cell.
pub fn cohort_rows(cells: &[CohortCell]) -> Rows {
    let mut rows = Rows::new(&["cohort", "month_index", "customers", "value"]);
    for c in cells {
        rows.push(vec![
            c.cohort.clone().into(),
            Value::Int(c.month_index as i64).into(),
            Value::Int(c.customers).into(),
            c.value.map_or(Value::Null, |v| Value::Num(v, 1)).into(),
        ]);
    }
    rows
}

/// A retention share's colour: green from 80%, yellow from 50%, red below.
fn tone(v: f64) -> Tone {
    if v >= 80.0 {
        Tone::Green
    } else if v >= 50.0 {
        Tone::Yellow
    } else {
        Tone::Red
    }
}

/// The triangle's header and cells: cohort, size, then month 0, 1, 2…
fn triangle(cells: &[CohortCell], color: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let width = cells.iter().map(|c| c.month_index + 1).max().unwrap_or(0);
    let mut head = vec!["Cohort".to_string(), "Customers".to_string()];
    head.extend((0..width).map(|i| format!("M{i}")));
    let mut body: Vec<Vec<String>> = Vec::new();
    for c in cells {
        if c.month_index == 0 {
            body.push(vec![c.cohort.clone(), c.customers.to_string()]);
        }
        if let Some(row) = body.last_mut() {
            row.push(match c.value {
                Some(v) => tone(v).paint(&format!("{}%", figure::fixed(v, 0)), color),
                None => "n/a".into(),
            });
        }
    }
    for row in &mut body {
        row.resize(width + 2, String::new());
    }
    (head, body)
}

/// The triangle as a table (coloured on a terminal), through the one width
/// budget of every table: cohort and count never split, and at a narrow
/// terminal the latest month columns are dropped and named.
pub fn cohort_table(cells: &[CohortCell], color: bool) -> Result<String> {
    let width = cells.iter().map(|c| c.month_index + 1).max().unwrap_or(0);
    // Column names live as long as the run: at most one per month (≤ 120).
    let months: Vec<&'static str> =
        (0..width).map(|i| &*Box::leak(format!("m{i}").into_boxed_str())).collect();
    let mut columns = vec!["cohort", "customers"];
    columns.extend(&months);
    let mut rows = Rows::new(&columns).role(&["cohort"], Role::Id).role(&months, Role::Number);
    let mut row: Vec<Cell> = Vec::new();
    for c in cells {
        if c.month_index == 0 {
            if !row.is_empty() {
                row.resize(width + 2, Cell::from(Value::Null).shown(""));
                rows.push(std::mem::take(&mut row));
            }
            row = vec![c.cohort.clone().into(), Value::Int(c.customers).into()];
        }
        row.push(match c.value {
            Some(v) => Cell::from(Value::Num(v, 0)).shown(format!("{}%", figure::fixed(v, 0))).tone(tone(v)),
            None => Cell::from(Value::Null).shown("n/a"),
        });
    }
    if !row.is_empty() {
        row.resize(width + 2, Cell::from(Value::Null).shown(""));
        rows.push(row);
    }
    let mut drop: Vec<&'static str> = months.clone();
    drop.reverse();
    rows.drop_order(&drop).render(Format::Table, color)
}

/// The triangle as markdown, for the docs.
pub fn cohort_markdown(cells: &[CohortCell]) -> String {
    let (head, body) = triangle(cells, false);
    markdown_table(&head, &body)
}
