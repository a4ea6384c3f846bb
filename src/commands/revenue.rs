//! `csf report revenue | cohorts` (docs/revenue.md).

use anyhow::Result;

use crate::app::revenue::{self as app, CohortMetric};
use crate::cli::report::{CohortMetricArg, SplitBy};
use crate::context::Ctx;
use crate::render::{self, revenue as rr, Format};

pub fn revenue(ctx: &Ctx, months: u32, by: Option<SplitBy>) -> Result<()> {
    let conn = ctx.open()?;
    let by_plan = by == Some(SplitBy::Plan);
    let all = app::by_month(&conn, ctx.now(), months, by_plan)?;
    ctx.print_rows(&rr::rows(&all, by_plan))
}

pub fn cohorts(ctx: &Ctx, months: u32, metric: CohortMetricArg) -> Result<()> {
    let conn = ctx.open()?;
    let metric = match metric {
        CohortMetricArg::Logos => CohortMetric::Logos,
        CohortMetricArg::Revenue => CohortMetric::Revenue,
    };
    let cells = app::cohorts(&conn, ctx.now(), months, metric)?;
    if cells.is_empty() {
        ctx.info(format!("No signups in the last {months} months."));
    }
    match ctx.format_or(Format::Table) {
        Format::Table => render::out(&rr::cohort_table(&cells, ctx.color)?),
        Format::Markdown => render::out(&rr::cohort_markdown(&cells)),
        format => render::out(&rr::cohort_rows(&cells).render(format, false)?),
    }
}
