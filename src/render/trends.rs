//! `csf report trends` for the eye and for machines: a row per metric and a
//! column per period with a sparkline (table, markdown) and a sentence per
//! metric under it, or a row per metric per period at full precision (JSON, CSV).

use super::{emoji, figure, markdown_table, Cell, Grid, Role, Rows, Tone, Value};
use crate::domain::metrics::{Metric, MetricId, Unit};
use crate::domain::targets::Status;
use crate::domain::trends::{self, By, Direction, PeriodFigures};
use crate::money::Cents;

/// `▁▂▃▄▅▆▇█` from the lowest to the highest value of the row; a period
/// without data is a space. A flat row is drawn at the middle.
/// A sparkline of health scores on the fixed 0–100 scale: ▁▂▃▄▅▆▇█.
pub fn score_sparkline(scores: &[i64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    scores.iter().map(|&s| BARS[((s.clamp(0, 100) * 7 + 50) / 100) as usize]).collect()
}

pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let known: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    let lo = known.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| match v {
            Some(v) if v.is_finite() && hi > lo => BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize],
            Some(v) if v.is_finite() => BARS[3],
            _ => ' ',
        })
        .collect()
}

/// The metrics in row order (those of the first period), each with its
/// figure per period; without any snapshot in the shown periods, the band
/// rows and MRR at risk are left out (a sentence says so, [`notes`]).
fn by_metric(figs: &[PeriodFigures]) -> Vec<Vec<&Metric>> {
    let Some(first) = figs.first() else { return Vec::new() };
    let snapshots = trends::any_snapshots(figs);
    (0..first.metrics.len())
        .map(|i| figs.iter().filter_map(|f| f.metrics.get(i)).collect::<Vec<_>>())
        .filter(|ms| snapshots || !trends::SNAPSHOT_ROWS.contains(&ms[0].which))
        .collect()
}

/// A figure as trends show it: a targeted figure judged `n/a` for its
/// sample shows its value and n ("50% (n=2)"); a count or an amount without
/// a target shows no n (its n is in JSON).
fn value_cell(m: &Metric) -> String {
    match (m.value, m.target, m.sample) {
        (Some(v), None, _) => figure::unit_text(v, m.unit(), None),
        (Some(v), Some(t), Some(n)) if m.status == Status::NoData => {
            format!("{} (n={n})", figure::unit_text(v, m.unit(), Some(t)))
        }
        _ => figure::value_text(m),
    }
}

/// A figure as a markdown cell: its value and, against a target, the status emoji.
fn md_cell(m: &Metric) -> String {
    match m.target {
        Some(_) => format!("{} {}", value_cell(m), emoji(m.status)),
        None => value_cell(m),
    }
}

/// `Metric`, then a column per period (the partial one "2026-11 to date").
fn period_head(figs: &[PeriodFigures]) -> Vec<String> {
    let mut h = vec!["Metric".to_string()];
    h.extend(figs.iter().map(|f| {
        let p = &f.period;
        if p.partial {
            format!("{} to date", p.label)
        } else {
            p.label.clone()
        }
    }));
    h
}

fn head(figs: &[PeriodFigures]) -> Vec<String> {
    let mut h = period_head(figs);
    h.push("Trend".into());
    h
}

/// The sparkline of the complete periods (the partial one is left out).
fn spark_of(ms: &[&Metric], figs: &[PeriodFigures]) -> String {
    sparkline(
        &ms.iter().zip(figs).filter(|(_, f)| !f.period.partial).map(|(m, _)| m.value).collect::<Vec<_>>(),
    )
}

/// What goes under the table: the weekly targets (by week), one sentence
/// per targeted metric, and the band rows' absence when nothing was scored.
pub struct Notes {
    pub caption: Option<String>,
    pub sentences: Vec<String>,
    pub no_snapshots: Option<String>,
}

impl Notes {
    /// Line by line under a table.
    fn lines(&self) -> String {
        let all: Vec<&str> = self
            .caption
            .iter()
            .chain(&self.sentences)
            .chain(&self.no_snapshots)
            .map(String::as_str)
            .collect();
        all.iter().map(|l| format!("{l}\n")).collect()
    }

    /// In markdown: the caption and the snapshot note as paragraphs, the sentences as a list.
    fn markdown(&self) -> String {
        let mut o = String::new();
        if let Some(l) = &self.caption {
            o.push_str(&format!("\n{l}\n"));
        }
        if !self.sentences.is_empty() {
            o.push('\n');
            o.extend(self.sentences.iter().map(|l| format!("- {l}\n")));
        }
        if let Some(l) = &self.no_snapshots {
            o.push_str(&format!("\n{l}\n"));
        }
        o
    }
}

pub fn notes(figs: &[PeriodFigures], by: By) -> Notes {
    let rows = by_metric(figs);
    let caption = (by == By::Week).then(|| {
        let targets: Vec<String> = rows
            .iter()
            .filter(|ms| trends::MONTHLY_TARGETS.contains(&ms[0].which))
            .filter_map(|ms| {
                Some(format!("{} < {}%", ms[0].label().to_lowercase(), figure::fixed(ms[0].target?, 2)))
            })
            .collect();
        format!("Weekly targets are the monthly ones × 7/30: {} a week.", targets.join(", "))
    });
    let sentences = match trends::last_two_complete(figs) {
        None => vec!["No two complete periods to compare: show more with --periods.".into()],
        Some((b, l)) => rows
            .iter()
            .filter(|ms| ms[0].target.is_some())
            .map(|ms| sentence(ms[b], ms[l], &figs[b].period.label, &figs[l].period.label))
            .collect(),
    };
    let no_snapshots = (!figs.is_empty() && !trends::any_snapshots(figs)).then(|| {
        "No health snapshots in these periods, so no band counts or MRR at risk: `csf health score --backfill` stores them for past days.".to_string()
    });
    Notes { caption, sentences, no_snapshots }
}

/// "Churn: worse — 6.1% in 2026-10 vs 4.0% in 2026-09".
fn sentence(before: &Metric, last: &Metric, b: &str, l: &str) -> String {
    let shown = value_cell;
    let word = match trends::compare(before, last) {
        Direction::Better => "better",
        Direction::Worse => "worse",
        Direction::Steady => "steady",
        Direction::TooFew => {
            return format!(
                "{}: not compared (too few or no data) — {} in {l} vs {} in {b}",
                last.label(),
                shown(last),
                shown(before)
            )
        }
    };
    format!("{}: {word} — {} in {l} vs {} in {b}", last.label(), shown(last), shown(before))
}

/// A row per metric, a coloured column per period and the sparkline; the
/// oldest periods are dropped first when the table cannot fit.
pub fn table(figs: &[PeriodFigures], by: By, color: bool) -> String {
    let head = head(figs);
    let mut roles = vec![Role::Text];
    roles.extend(figs.iter().map(|_| Role::Number));
    roles.push(Role::Band);
    let rows = by_metric(figs)
        .into_iter()
        .map(|ms| {
            let mut row = vec![(ms[0].label().to_string(), Tone::Plain)];
            for m in &ms {
                let tone = if m.target.is_some() { Tone::of(m.status) } else { Tone::Plain };
                row.push((value_cell(m), tone));
            }
            row.push((spark_of(&ms, figs), Tone::Plain));
            row
        })
        .collect();
    let grid = Grid { head, roles, rows, drop: (1..=figs.len()).collect(), ..Grid::default() }.render(color);
    format!("{grid}\n{}", super::fit_text(&notes(figs, by).lines()))
}

/// The same as a markdown table, the status as emoji, the sentences under it.
pub fn markdown(figs: &[PeriodFigures], by: By) -> String {
    let body: Vec<Vec<String>> = by_metric(figs)
        .into_iter()
        .map(|ms| {
            let mut row = vec![ms[0].label().to_string()];
            row.extend(ms.iter().map(|m| md_cell(m)));
            row.push(spark_of(&ms, figs));
            row
        })
        .collect();
    format!("{}{}", markdown_table(&head(figs), &body), notes(figs, by).markdown())
}

/// `metric, period_start, value, unit, target, status, n, partial`: one row
/// per metric per period, full precision; no data is `null` / `n/a`; a figure
/// without a target (customers per band, MRR at risk) has `target` and
/// `status` null; `target` is the period's (scaled for weeks), `n` the
/// observations behind the value, `partial` true for the period holding today.
pub fn rows(figs: &[PeriodFigures]) -> Rows {
    let mut rows =
        Rows::new(&["metric", "period_start", "value", "unit", "target", "status", "n", "partial"]);
    for ms in by_metric(figs) {
        for (m, f) in ms.iter().zip(figs) {
            rows.push(vec![
                Cell::from(m.id()),
                Value::Date(f.period.first_day.iso()).into(),
                match (m.value, m.unit()) {
                    (Some(v), Unit::Currency) => Value::Money(Cents::of_units(v)).into(),
                    (Some(v), Unit::Customers) => Value::Int(v as i64).into(),
                    (Some(v), Unit::Hours | Unit::Minutes | Unit::Percent | Unit::Score) => {
                        Value::Num(v, 1).into()
                    }
                    (None, _) => Value::Null.into(),
                },
                m.unit().name().into(),
                m.target.map_or(Value::Null, |t| Value::Num(t, 1)).into(),
                match m.target {
                    Some(_) => Cell::from(m.status.name()),
                    None => Value::Null.into(),
                },
                Value::opt_int(m.sample).into(),
                Value::Bool(f.period.partial).into(),
            ]);
        }
    }
    rows
}

/// The rows of the plan's Trends section: the framework's metrics, revenue
/// churn and MRR at risk (the bands are in Customer Health).
const PLAN_ROWS: &[MetricId] = &[
    MetricId::FirstResponseTime,
    MetricId::ResolutionTime,
    MetricId::Csat,
    MetricId::ChurnRate,
    MetricId::Nps,
    MetricId::SupportLoad,
    MetricId::RevenueChurn,
    MetricId::MrrAtRisk,
];

/// `### Trends` of the plan: a markdown table of the months with the status
/// emoji per cell; with `charts`, a mermaid xychart of first response and churn.
pub fn plan_section(o: &mut String, figs: &[PeriodFigures], charts: bool) {
    o.push_str("### Trends\n");
    if figs.is_empty() {
        o.push_str("No periods to show.\n");
        return;
    }
    let head = period_head(figs);
    let body: Vec<Vec<String>> = by_metric(figs)
        .into_iter()
        .filter(|ms| PLAN_ROWS.contains(&ms[0].which))
        .map(|ms| {
            let mut row = vec![ms[0].label().to_string()];
            row.extend(ms.iter().map(|m| md_cell(m)));
            row
        })
        .collect();
    o.push_str(&markdown_table(&head, &body));
    o.push_str(&format!(
        "\nCalendar months, {} to {} (the last one to date): the formulas of Current State over each month; MRR at risk from each month's last health scores; a figure from fewer than `targets.min_sample` observations shows its n and ⚪ (`csf report trends`).\n\n",
        figs[0].period.label,
        figs[figs.len() - 1].period.label
    ));
    if !trends::any_snapshots(figs) {
        o.push_str("No health snapshots in these months, so no MRR at risk: `csf health score --backfill` stores them for past days.\n\n");
    }
    if let Some((b, l)) = trends::last_two_complete(figs) {
        for ms in
            by_metric(figs).iter().filter(|ms| PLAN_ROWS.contains(&ms[0].which) && ms[0].target.is_some())
        {
            o.push_str(&format!(
                "- {}\n",
                sentence(ms[b], ms[l], &figs[b].period.label, &figs[l].period.label)
            ));
        }
    }
    if charts {
        o.push_str(&trend_chart(figs));
    }
}

/// First response (hours) and churn (%) per month: one chart each, so each
/// y axis has one unit.
fn trend_chart(figs: &[PeriodFigures]) -> String {
    let series = |which: MetricId| -> Vec<Option<f64>> {
        figs.iter().map(|f| f.metrics.iter().find(|m| m.which == which).and_then(|m| m.value)).collect()
    };
    let labels: Vec<String> = figs.iter().map(|f| format!("\"{}\"", f.period.label)).collect();
    let chart = |title: &str, axis: &str, s: &[Option<f64>]| {
        let max = s.iter().flatten().fold(5.0_f64, |a, b| a.max(*b)).ceil();
        let points: Vec<String> = s.iter().map(|v| format!("{:.1}", v.unwrap_or(0.0))).collect();
        format!(
            "\n```mermaid\nxychart-beta\n    title \"{title}\"\n    x-axis [{}]\n    y-axis \"{axis}\" 0 --> {max}\n    line [{}]\n```\n",
            labels.join(", "),
            points.join(", ")
        )
    };
    format!(
        "{}{}\nA month without data is drawn at 0.\n",
        chart("Average first response by month (hours)", "Hours", &series(MetricId::FirstResponseTime)),
        chart("Churn by month (%)", "Churn %", &series(MetricId::ChurnRate))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_sparklines_use_the_fixed_scale() {
        assert_eq!(score_sparkline(&[0, 50, 100]), "▁▅█");
    }

    #[test]
    fn sparkline_spans_the_row_and_leaves_gaps() {
        assert_eq!(sparkline(&[Some(1.0), None, Some(3.0), Some(2.0)]), "▁ █▅");
        assert_eq!(sparkline(&[Some(5.0), Some(5.0)]), "▄▄");
        assert_eq!(sparkline(&[None, None]), "  ");
    }
}
