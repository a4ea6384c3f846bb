//! The outreach sequences' steps as rows (`onboarding due`, `churn winback`).

use crate::domain::sequence::DueStep;
use crate::render::{Cell, Rows, Value};

/// Due steps of `sequence`: `customer_id, name, sequence, day, step, message, started_on`.
pub fn due_rows(sequence: &str, due: &[DueStep]) -> Rows {
    steps_rows(sequence, due, None)
}

/// The columns of [`due_rows`].
pub fn due_head() -> Rows {
    steps_head(None)
}

/// One row of [`due_rows`].
pub fn due_row(sequence: &str, d: &DueStep) -> Vec<Cell> {
    step_row(sequence, d, None)
}

/// Missed steps: the fields of [`due_rows`] and `status: missed`.
pub fn missed_rows(sequence: &str, missed: &[DueStep]) -> Rows {
    steps_rows(sequence, missed, Some("missed"))
}

/// The line under a table of due steps when some were missed.
pub fn missed_line(sequence: &str, missed: usize, command: &str) -> Option<String> {
    (missed > 0).then(|| {
        crate::render::fit_text(&format!(
            "{missed} {sequence} step{} missed (past their due window, never done): {command} --missed\n",
            if missed == 1 { "" } else { "s" }
        ))
    })
}

fn steps_rows(sequence: &str, steps: &[DueStep], status: Option<&str>) -> Rows {
    steps_head(status).filled(steps.iter().map(|d| step_row(sequence, d, status)))
}

fn steps_head(status: Option<&str>) -> Rows {
    let mut columns = vec!["customer_id", "name", "sequence", "day", "step", "message", "started_on"];
    if status.is_some() {
        columns.push("status");
    }
    Rows::new(&columns).drop_order(&["started_on", "sequence", "message"])
}

fn step_row(sequence: &str, d: &DueStep, status: Option<&str>) -> Vec<Cell> {
    let mut row: Vec<Cell> = vec![
        d.id.clone().into(),
        d.name.clone().into(),
        sequence.into(),
        Value::Int(d.step.day).into(),
        d.step.name.into(),
        d.step.message.into(),
        Value::Date(d.started_on.iso()).into(),
    ];
    if let Some(s) = status {
        row.push(s.into());
    }
    row
}
