//! `csf health score | list | show | alerts` (docs/health.md); `backtest`,
//! `tune` and `evidence` are in `commands::backtest`.

use anyhow::Result;
use rusqlite::Connection;

use crate::app::health::{self as app, Sort};
use crate::cli::health::{FailOn, HealthCmd, SortBy};
use crate::context::{Alert, Ctx};
use crate::domain::health::Band;
use crate::render::{self, health as rh, Format};
use crate::store::customers;
use crate::time::{self, iso_date};

pub fn run(ctx: &Ctx, cmd: HealthCmd) -> Result<()> {
    let mut conn = ctx.open()?;
    match cmd {
        HealthCmd::Score { backfill: true, from, .. } => backfill(ctx, &mut conn, from.as_deref()),
        HealthCmd::Score { fail_on, .. } => score(ctx, &mut conn, fail_on),
        HealthCmd::List { status, sort } => {
            let status = status.map(Band::from);
            let all = app::latest(&conn, &ctx.settings(&conn)?, ctx.now(), status, sort_of(sort))?;
            if all.is_empty() && status.is_none() {
                ctx.info("No health scores yet: run `csf health score` (nightly, from cron).");
            } else if let Some(day) = all.iter().map(|l| l.snap.day).max() {
                // Stored, not live: say so (`health show` computes as of now).
                ctx.info(format!(
                    "Stored scores: each customer's latest snapshot (newest {day}); `csf health show ID` computes one live."
                ));
            }
            let head = match status {
                Some(s) => rh::list_head().when_empty(format!("No {} customers.", s.name())),
                None => rh::list_head(),
            };
            ctx.print_each(head, all.iter().map(rh::list_row))
        }
        HealthCmd::Show { customer } => show(ctx, &conn, &customer),
        HealthCmd::Alerts { status } => {
            let status = status.map(Band::from);
            let empty = match status {
                Some(s) => format!("No {} customers.", s.name()),
                None => "No at-risk or critical customers.".into(),
            };
            let all = app::alerts(&conn, &ctx.settings(&conn)?, ctx.now(), status)?;
            ctx.print_each(rh::alert_head().when_empty(empty), all.iter().map(rh::alert_row))
        }
        cmd @ (HealthCmd::Backtest { .. } | HealthCmd::Tune { .. } | HealthCmd::Evidence { .. }) => {
            unreachable!("lib.rs dispatches {cmd:?} to commands::backtest")
        }
    }
}

fn sort_of(s: SortBy) -> Sort {
    match s {
        SortBy::Score => Sort::Score,
        SortBy::Name => Sort::Name,
        SortBy::Change => Sort::Change,
        SortBy::Mrr => Sort::Mrr,
    }
}

fn score(ctx: &Ctx, conn: &mut Connection, fail_on: Option<FailOn>) -> Result<()> {
    let settings = ctx.settings(conn)?;
    // A spinner on a terminal: scoring a large database takes seconds.
    let spinner = ctx.show_progress().then(|| {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_message("scoring customers…");
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    });
    if let Some(pb) = &spinner {
        pb.set_message("measuring the evidence, then scoring…");
    }
    let measured = crate::app::evidence::measure_if_due(conn, &settings, ctx.now(), &|| {
        if let Some(pb) = &spinner {
            pb.tick();
        }
    })?;
    let summary = app::score_all_with(conn, &settings, ctx.now(), measured.as_ref());
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    let summary = summary?;
    let counts: Vec<String> =
        Band::ALL.iter().map(|b| format!("{} {}", summary.count(*b), b.name())).collect();
    ctx.info(format!(
        "Scored {} for {}: {}",
        render::count(summary.scores.len() as i64, "customer"),
        iso_date(ctx.now()),
        counts.join(", ")
    ));
    if let Some(note) = measured.as_ref().map(crate::render::evidence::measured_note) {
        ctx.info(note);
    }
    if let Some(stale) =
        crate::app::today::stale_warning_after(conn, &settings, ctx.now(), summary.newest_event)?
    {
        // Said even with --quiet: scores from old data mislead the nightly run.
        eprintln!("warning: {}", stale.text());
    }
    if let Some(f) = fail_on {
        let worst = match f {
            FailOn::Critical => Band::Critical,
            FailOn::AtRisk => Band::AtRisk,
        };
        if let Some(alert) = rh::fail_on_alert(summary.at_or_below(worst), worst) {
            return Err(Alert(alert).into());
        }
    }
    Ok(())
}

fn backfill(ctx: &Ctx, conn: &mut Connection, from: Option<&str>) -> Result<()> {
    let settings = ctx.settings(conn)?;
    let from = from
        .map(|s| time::parse_now(s).map(time::Day::of).map_err(|e| anyhow::anyhow!("--from \"{s}\" {e}")))
        .transpose()?;
    let from = crate::app::backfill::first_day(conn, ctx.today(), from)?;
    let bar = ctx.show_progress().then(|| {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_message("backfilling customers");
        pb
    });
    let done = crate::app::backfill::backfill(conn, &settings, ctx.now(), from, &|k, n| {
        if let Some(pb) = &bar {
            pb.set_length(n);
            pb.set_position(k);
        }
    });
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    let done = done?;
    ctx.info(rh::backfilled(&done, from));
    Ok(())
}

fn show(ctx: &Ctx, conn: &Connection, key: &str) -> Result<()> {
    ctx.only_formats("health show", &[Format::Table, Format::Json, Format::Csv], "")?;
    let c = customers::get(conn, key)?;
    let settings = ctx.settings(conn)?;
    let l = app::live(conn, &settings, ctx.now(), &c)?;
    let hist = app::history(conn, c.cid, ctx.now(), 30)?;
    match ctx.format_or(Format::Table) {
        Format::Json => render::out(&rh::show_json(&c, &l, &hist, ctx.now())?),
        Format::Csv => ctx.print_rows(&rh::live_rows(&c.id, &l)),
        _ => render::out(&rh::show_text(&c, &l, &hist, ctx.now(), ctx.color)),
    }
}
