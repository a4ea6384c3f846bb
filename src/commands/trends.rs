//! `csf report trends [--by week|month] [--periods N]` (SPEC §14.1): the
//! §9.1 metrics per period with the same formulas (`store::reports::
//! period_inputs` and `domain::metrics`), revenue churn beside them, then the
//! health bands and MRR at risk as they stood at each period's end.

use anyhow::Result;
use rusqlite::Connection;

use crate::context::Ctx;
use crate::domain::metrics;
use crate::domain::settings::Settings;
use crate::domain::trends::{self, By, PeriodFigures};
use crate::render::{self, trends as rt, Format};
use crate::store::{reports, trends as st};

pub fn run(ctx: &Ctx, conn: &Connection, settings: &Settings, by: By, n: u32) -> Result<()> {
    let figures = figures(conn, settings, ctx.now, by, n)?;
    match ctx.format_or(Format::Table) {
        Format::Table => render::out(&rt::table(&figures, ctx.color)),
        Format::Markdown => render::out(&rt::markdown(&figures)),
        format => render::out(&rt::rows(&figures).render(format, false)?),
    }
}

/// Every period's figures, oldest first: the six framework metrics, revenue
/// churn, the customers per band (`healthy`, `neutral`, `at_risk`,
/// `critical`) and `mrr_at_risk` at the period's end (or now).
pub fn figures(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    by: By,
    n: u32,
) -> Result<Vec<PeriodFigures>> {
    trends::periods(now, by, n)
        .into_iter()
        .map(|p| {
            let inputs = reports::period_inputs(conn, p.start, p.end, now)?;
            let mut ms = metrics::metrics(&inputs, settings);
            ms.push(metrics::revenue_churn(&inputs, settings));
            let at = (p.end - 1).min(now);
            let b = if p.start > now { None } else { st::bands_at(conn, p.start, at)? };
            let count = |k: usize| b.map(|b| b.bands[k] as f64);
            ms.push(trends::untargeted("healthy", "Healthy", count(0), "customers"));
            ms.push(trends::untargeted("neutral", "Neutral", count(1), "customers"));
            ms.push(trends::untargeted("at_risk", "At-risk", count(2), "customers"));
            ms.push(trends::untargeted("critical", "Critical", count(3), "customers"));
            ms.push(trends::untargeted(
                "mrr_at_risk",
                "MRR at risk",
                b.map(|b| b.mrr_at_risk_cents as f64 / 100.0),
                "currency",
            ));
            Ok(PeriodFigures { period: p, metrics: ms })
        })
        .collect()
}
