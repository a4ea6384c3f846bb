//! `csf report metrics | plan` (docs/reports.md); `trends` is in `commands::trends`.

use anyhow::{bail, Result};

use crate::app::{metrics, plan};
use crate::cli::report::ReportCmd;
use crate::context::Ctx;
use crate::domain::plan::Section;
use crate::render::{self, figure, Format};
use crate::time;

pub fn run(ctx: &Ctx, cmd: ReportCmd) -> Result<()> {
    let conn = ctx.open()?;
    // Reports scan; they gain nothing from the large cache an import wants.
    crate::app::readers::scan_only(&conn)?;
    let settings = ctx.settings(&conn)?;
    match cmd {
        ReportCmd::Metrics { days, by } => {
            let format = ctx.format_or(Format::Table);
            if matches!(format, Format::Table | Format::Markdown) {
                render::out(&format!("{}\n\n", period_caption(ctx.now(), days)))?;
            }
            if by.is_some() {
                let plans = metrics::report_by_plan(&conn, &settings, ctx.now(), days)?;
                return ctx.print_rows(&figure::metric_rows_by_plan(&plans, format));
            }
            let ms = metrics::report(&conn, &settings, ctx.now(), days)?;
            ctx.print_rows(&figure::metric_rows(&ms, format))
        }
        ReportCmd::Plan { days, sections, charts } => {
            let chosen = match &sections {
                None => Section::ALL.to_vec(),
                Some(list) => parse_sections(list)?,
            };
            ctx.only_formats(
                "report plan",
                &[Format::Markdown],
                " (the plan is markdown only; `csf report metrics -f json` has its figures)",
            )?;
            let data = plan::gather(&conn, &settings, ctx.now(), days, &chosen, charts.is_some())?;
            render::out(&render::plan::render(&data, &chosen, charts.is_some()))
        }
        ReportCmd::Trends { .. } | ReportCmd::Revenue { .. } | ReportCmd::Cohorts { .. } => {
            unreachable!("lib.rs dispatches trends, revenue and cohorts to their own modules")
        }
    }
}

/// `--sections a,b`: each a known section, at least one.
fn parse_sections(list: &str) -> Result<Vec<Section>> {
    let mut v = Vec::new();
    for s in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match Section::parse(s) {
            Some(k) => v.push(k),
            None => bail!("--sections: unknown section \"{s}\"; the sections are {}", Section::names()),
        }
    }
    if v.is_empty() {
        bail!("--sections is empty; the sections are {}", Section::names());
    }
    Ok(v)
}

/// "Last 30 days: 2026-10-22 to 2026-11-20" — the window a figure depends on.
fn period_caption(now: i64, days: i64) -> String {
    format!(
        "Last {}: {} to {}",
        crate::render::count(days, "day"),
        time::iso_date(metrics::period_start(now, days)),
        time::iso_date(now)
    )
}
