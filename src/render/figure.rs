//! Figures for the eye: one decimal for hours, minutes and percentages,
//! durations in a readable unit, targets as the framework writes them, the
//! sample size beside a small sample — and never a rounding that contradicts
//! the status. JSON and CSV take the figures as they are.

use super::{emoji, money_shown, Cell, Format, Rows, Tone, Value};
use crate::domain::metrics::{self, Metric, Unit};
use crate::money::Cents;

/// Below this many data points a figure shows its count ("−33 (n=3)").
pub const SMALL_SAMPLE: i64 = 10;

/// `v` with `d` decimals, rounded half away from zero as people round
/// (56.25 → "56.3", where `format!` would give "56.2").
pub fn fixed(v: f64, d: usize) -> String {
    let p = 10f64.powi(d as i32);
    let r = (v * p).round() / p;
    let s = format!("{r:.d$}");
    if s.starts_with('-') && r == 0.0 {
        s[1..].to_string()
    } else {
        s
    }
}

/// The number as shown: one decimal (no decimals when a percentage or a
/// score is whole at one decimal), more decimals where one would show the
/// target itself for a value on the other side of it (4.96 against < 5 is
/// "4.96", not "5.0").
pub fn number(v: f64, target: Option<f64>, drop_whole: bool) -> String {
    let mut d = 1;
    if let Some(t) = target {
        let rounded = |d: usize| (v * 10f64.powi(d as i32)).round() / 10f64.powi(d as i32);
        while d < 6 && v != t && rounded(d) == t {
            d += 1;
        }
    }
    let s = fixed(v, d);
    if d == 1 && drop_whole && s.ends_with(".0") {
        s[..s.len() - 2].to_string()
    } else {
        s
    }
}

/// A duration in minutes in a readable unit: "4.8 min", "10.1 h", "3.2 days".
pub fn minutes_text(m: f64, target: Option<f64>) -> String {
    if m.abs() < 60.0 {
        format!("{} min", number(m, target, false))
    } else if m.abs() < 48.0 * 60.0 {
        format!("{} h", number(m / 60.0, target.map(|t| t / 60.0), false))
    } else {
        format!("{} days", number(m / 1440.0, target.map(|t| t / 1440.0), false))
    }
}

/// A value in its unit: "3.2 hours", "88%", "4.1%", "-33", "10.1 h", "$49.00".
pub fn unit_text(v: f64, unit: Unit, target: Option<f64>) -> String {
    match unit {
        Unit::Hours => format!("{} hours", number(v, target, false)),
        Unit::Minutes => minutes_text(v, target),
        Unit::Percent => format!("{}%", number(v, target, true)),
        Unit::Currency => money_shown(Cents::of_units(v)),
        Unit::Score | Unit::Customers => number(v, target, true),
    }
}

/// "3.2 hours", "−33 (n=3)", "n/a".
pub fn value_text(m: &Metric) -> String {
    match m.value {
        None => "n/a".into(),
        Some(v) => {
            let t = unit_text(v, m.unit(), m.target);
            match m.sample {
                Some(n) if n < SMALL_SAMPLE && m.unit() != Unit::Currency => format!("{t} (n={n})"),
                _ => t,
            }
        }
    }
}

/// "< 4 hours", "> 90%", "> 40", "< 5 min"; "-" without a target.
pub fn target_text(m: &Metric) -> String {
    let Some(t) = m.target else { return "-".into() };
    let n = number(t, None, true).trim_end_matches(".0").to_string();
    let shown = match m.unit() {
        Unit::Hours => format!("{n} hours"),
        Unit::Minutes => format!("{n} min"),
        Unit::Percent => format!("{n}%"),
        Unit::Score | Unit::Currency | Unit::Customers => n,
    };
    format!("{} {shown}", if m.higher_is_better { ">" } else { "<" })
}

/// The framework's step for a metric off target, naming its figure; `None`
/// for a figure the framework has no step for.
pub fn improvement(m: &Metric) -> Option<String> {
    improvement_guided(m, false)
}

/// [`improvement`], with the churn step pointing at the warning signs
/// instead of the score's bands when the evidence says so (`signs`).
pub fn improvement_guided(m: &Metric, signs: bool) -> Option<String> {
    let (step, impact) = metrics::improvement(m)?;
    let step =
        if signs && m.which == metrics::MetricId::ChurnRate { metrics::CHURN_STEP_BY_SIGNS } else { step };
    Some(format!(
        "{step} ({} is {} against a target of {}): {impact}",
        m.label(),
        value_text(m),
        target_text(m)
    ))
}

/// Metrics as rows of `metric, value, unit, target, status`: labels, rounded
/// values (with the sample size when small) and status colours in tables,
/// emoji in markdown, full precision in JSON and CSV.
pub fn metric_rows(ms: &[Metric], format: Format) -> Rows {
    let mut rows = Rows::new(&["metric", "value", "unit", "target", "status"]);
    for m in ms {
        rows.push(metric_cells(m, format));
    }
    rows.drop_order(&["unit", "target"])
}

/// `report metrics --by plan`: the metric rows of each plan, a `plan` column first.
pub fn metric_rows_by_plan(plans: &[(String, Vec<Metric>)], format: Format) -> Rows {
    let mut rows = Rows::new(&["plan", "metric", "value", "unit", "target", "status"]);
    for (plan, ms) in plans {
        for m in ms {
            let mut cells = vec![Cell::from(plan.clone())];
            cells.extend(metric_cells(m, format));
            rows.push(cells);
        }
    }
    rows.drop_order(&["unit", "target"])
}

/// One metric's cells, in the order of [`metric_rows`].
pub fn metric_cells(m: &Metric, format: Format) -> Vec<Cell> {
    let tone = Tone::of(m.status);
    let status = match (format, m.target) {
        // A figure without a target (MRR at risk) has no verdict.
        (_, None) => Cell::from(Value::Null),
        (Format::Markdown, _) => Cell::from(m.status.name()).shown(emoji(m.status)),
        _ => Cell::from(m.status.name()).tone(tone),
    };
    vec![
        Cell::from(m.id()).shown(m.label()),
        Cell::from(m.value.map_or(Value::Null, |v| Value::Num(v, 1))).shown(value_text(m)).tone(tone),
        m.unit().name().into(),
        Cell::from(m.target.map_or(Value::Null, |t| Value::Num(t, 1))).shown(target_text(m)),
        status,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::metrics::MetricId;
    use crate::domain::targets::Status;

    /// A figure in `unit` (a metric of that unit stands in for it).
    fn metric(value: f64, unit: Unit, target: f64, higher: bool, n: i64) -> Metric {
        let which = match unit {
            Unit::Hours => MetricId::FirstResponseTime,
            Unit::Minutes => MetricId::TimeToFirstValue,
            Unit::Percent => MetricId::Csat,
            Unit::Score => MetricId::Nps,
            Unit::Currency => MetricId::MrrAtRisk,
            Unit::Customers => MetricId::Healthy,
        };
        assert_eq!(which.unit(), unit);
        Metric::judged(which, Some(value), target, higher, Some(n))
    }

    #[test]
    fn a_shown_value_never_contradicts_its_status() {
        // 4.96 min against < 5 min is met: "5.0" would say otherwise.
        let m = metric(4.96, Unit::Minutes, 5.0, false, 40);
        assert_eq!((value_text(&m), m.status), ("4.96 min".into(), Status::Green));
        // 89.96% against > 90% misses: shown with two decimals.
        let m = metric(89.96, Unit::Percent, 90.0, true, 40);
        assert_eq!((value_text(&m), m.status), ("89.96%".into(), Status::Yellow));
        // Exactly on target: shown as the target, and not green.
        let m = metric(4.0, Unit::Hours, 4.0, false, 40);
        assert_eq!((value_text(&m), m.status), ("4.0 hours".into(), Status::Yellow));
        let m = metric(3.999_99, Unit::Hours, 4.0, false, 40);
        assert_eq!(value_text(&m), "3.99999 hours");
    }

    #[test]
    fn values_show_one_decimal_durations_readably_and_small_samples_with_n() {
        assert_eq!(value_text(&metric(4.75, Unit::Hours, 4.0, false, 40)), "4.8 hours");
        assert_eq!(value_text(&metric(66.666, Unit::Percent, 10.0, false, 40)), "66.7%");
        assert_eq!(value_text(&metric(88.0, Unit::Percent, 90.0, true, 40)), "88%");
        assert_eq!(value_text(&metric(607.5, Unit::Minutes, 5.0, false, 40)), "10.1 h");
        assert_eq!(value_text(&metric(4320.0, Unit::Minutes, 5.0, false, 40)), "3.0 days");
        assert_eq!(value_text(&metric(-100.0 / 3.0, Unit::Score, 40.0, true, 3)), "-33.3 (n=3)");
        assert_eq!(target_text(&metric(1.0, Unit::Minutes, 5.0, false, 1)), "< 5 min");
        assert_eq!(target_text(&metric(1.0, Unit::Percent, 90.0, true, 1)), "> 90%");
        assert_eq!(target_text(&metric(1.0, Unit::Hours, 4.5, false, 1)), "< 4.5 hours");
    }
}
