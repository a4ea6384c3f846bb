//! `csf onboarding due | funnel` (docs/onboarding.md).

use anyhow::Result;

use crate::app::{metrics, onboarding as app, sequences};
use crate::cli::onboarding::OnboardingCmd;
use crate::context::Ctx;
use crate::domain::onboarding::{self, Funnel};
use crate::domain::sequence::ONBOARDING;
use crate::domain::settings::Settings;
use crate::render::{self, figure, Cell, Format, Rows, Value};
use crate::time;

pub fn run(ctx: &Ctx, cmd: OnboardingCmd) -> Result<()> {
    let mut conn = ctx.open()?;
    match cmd {
        OnboardingCmd::Due { mark_done, missed } => {
            let steps = sequences::steps(&conn, &ONBOARDING, ctx.now(), None)?;
            ctx.sequence_due(&mut conn, &ONBOARDING, steps, (mark_done, missed), "csf onboarding due")
        }
        OnboardingCmd::Funnel { days, cohort } => {
            let settings = ctx.settings(&conn)?;
            let format = ctx.format_or(Format::Table);
            if cohort.is_some() {
                let mut rows = Rows::new(&[
                    "month",
                    "cohort_size",
                    "time_to_first_value",
                    "activation_rate",
                    "setup_completion",
                    "d1_retention",
                ]);
                for (month, f) in app::funnel_by_month(&conn, &settings, ctx.now(), days)? {
                    let mut row: Vec<Cell> = vec![month.into(), Value::Int(f.cohort_size as i64).into()];
                    for m in onboarding::funnel_metrics(&f, &settings) {
                        row.push(figure::metric_cells(&m, format)[1].clone());
                    }
                    rows.push(row);
                }
                ctx.print_rows(&rows)
            } else {
                let f = app::funnel(&conn, &settings, ctx.now(), days)?;
                if matches!(format, Format::Table | Format::Markdown) {
                    // The window the figures depend on (the plan says the same).
                    render::out(&format!(
                        "Signups in the last {} ({} to {}): {}\n\n",
                        render::count(days, "day"),
                        time::iso_date(metrics::period_start(ctx.now(), days)),
                        time::iso_date(ctx.now()),
                        f.cohort_size
                    ))?;
                }
                ctx.print_rows(&funnel_rows(&f, &settings, format))
            }
        }
    }
}

/// The funnel as rows of `metric, value, unit, target, status, cohort_size`.
fn funnel_rows(f: &Funnel, settings: &Settings, format: Format) -> Rows {
    let mut rows = Rows::new(&["metric", "value", "unit", "target", "status", "cohort_size"]);
    for m in onboarding::funnel_metrics(f, settings) {
        let mut cells = figure::metric_cells(&m, format);
        cells.push(Value::Int(f.cohort_size as i64).into());
        rows.push(cells);
    }
    rows
}
