//! `csf health score | list | show | alerts` (docs/health.md); `backtest`,
//! `tune` and `evidence` are in `commands::backtest`.

use anyhow::Result;
use rusqlite::Connection;
use serde_json::json;

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
            let all = app::latest(&conn, &ctx.settings(&conn)?, ctx.now, status.as_deref(), sort_of(sort))?;
            if all.is_empty() && status.is_none() {
                ctx.info("No health scores yet: run `csf health score` (nightly, from cron).");
            } else if let Some(day) = all.iter().map(|l| l.snap.day.as_str()).max() {
                // Stored, not live: say so (`health show` computes as of now).
                ctx.info(format!(
                    "Stored scores: each customer's latest snapshot (newest {day}); `csf health show ID` computes one live."
                ));
            }
            let head = match &status {
                Some(s) => rh::list_head().when_empty(format!("No {s} customers.")),
                None => rh::list_head(),
            };
            ctx.print_each(head, all.iter().map(rh::list_row))
        }
        HealthCmd::Show { customer } => show(ctx, &conn, &customer),
        HealthCmd::Alerts { status } => {
            let empty = match &status {
                Some(s) => format!("No {s} customers."),
                None => "No at-risk or critical customers.".into(),
            };
            let all = app::alerts(&conn, &ctx.settings(&conn)?, ctx.now, status.as_deref())?;
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
    let measured = crate::app::evidence::measure_if_due(conn, &settings, ctx.now, &|| {
        if let Some(pb) = &spinner {
            pb.tick();
        }
    })?;
    let summary = app::score_all_with(conn, &settings, ctx.now, measured.as_ref());
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    let summary = summary?;
    let counts: Vec<String> =
        Band::ALL.iter().map(|b| format!("{} {}", summary.count(*b), b.name())).collect();
    ctx.info(format!(
        "Scored {} for {}: {}",
        render::count(summary.scores.len() as i64, "customer"),
        iso_date(ctx.now),
        counts.join(", ")
    ));
    match &measured {
        Some(m) if m.evidence.is_some() => ctx.info(format!(
            "Measured the evidence over {} (`csf health evidence` shows it).",
            render::count(m.window.cutoffs().len() as i64, "cutoff")
        )),
        Some(_) => ctx.info(
            "no evidence yet: no customer churned within 90 days of a cutoff (`csf today` ranks by MRR)",
        ),
        None => {}
    }
    if let Some(stale) =
        crate::app::today::stale_warning_after(conn, &settings, ctx.now, summary.newest_event)?
    {
        // Said even with --quiet: scores from old data mislead the nightly run.
        eprintln!("warning: {}", stale.text());
    }
    if let Some(f) = fail_on {
        let worst = match f {
            FailOn::Critical => Band::Critical,
            FailOn::AtRisk => Band::AtRisk,
        };
        let n = summary.at_or_below(worst);
        if n > 0 {
            return Err(Alert(format!(
                "{n} customer{} {} or worse; `csf health alerts` lists them",
                if n == 1 { " is" } else { "s are" },
                worst.name()
            ))
            .into());
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
    let done = crate::app::backfill::backfill(conn, &settings, ctx.now, from, &|k, n| {
        if let Some(pb) = &bar {
            pb.set_length(n);
            pb.set_position(k);
        }
    });
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    let done = done?;
    let days = |n: usize| format!("{n} day{}", if n == 1 { "" } else { "s" });
    let kept = match done.kept_days {
        0 => String::new(),
        n => format!("; {} already had snapshots and were kept", days(n)),
    };
    ctx.info(match done.range {
        Some((a, b)) => format!(
            "Backfilled {} ({} → {}): {} snapshot{}{kept}",
            days(done.days),
            a,
            b,
            done.snapshots,
            if done.snapshots == 1 { "" } else { "s" }
        ),
        None => format!("Nothing to backfill: every day from {} to yesterday has snapshots", from),
    });
    Ok(())
}

fn show(ctx: &Ctx, conn: &Connection, key: &str) -> Result<()> {
    ctx.only_formats("health show", &[Format::Table, Format::Json, Format::Csv], "")?;
    let c = customers::get(conn, key)?;
    let settings = ctx.settings(conn)?;
    let l = app::live(conn, &settings, ctx.now, &c)?;
    let hist = app::history(conn, c.cid, ctx.now, 30)?;
    let scores: Vec<i64> = hist.scores.iter().map(|(_, s)| *s).collect();
    match ctx.format_or(Format::Table) {
        Format::Json => {
            let mut j = json!({ "customer_id": c.id, "name": c.name });
            if let (Some(o), serde_json::Value::Object(m)) = (j.as_object_mut(), rh::live_json(&l)) {
                o.extend(m);
                o.insert(
                    "trend".into(),
                    json!(hist.scores.iter().map(|(d, s)| json!({"day": d, "score": s})).collect::<Vec<_>>()),
                );
                o.insert("sparkline".into(), json!(render::trends::score_sparkline(&scores)));
                o.insert("computed".into(), json!("live"));
                o.insert("as_of".into(), json!(time::rfc3339(ctx.now)));
                o.insert(
                    "stored".into(),
                    hist.stored.as_ref().map_or(
                        serde_json::Value::Null,
                        |(day, score, w)| json!({"day": day, "score": score, "weights": w}),
                    ),
                );
            }
            render::out(&format!("{}\n", serde_json::to_string_pretty(&j)?))
        }
        Format::Csv => ctx.print_rows(&rh::live_rows(&c.id, &l)),
        _ => {
            let mut out = format!(
                "{} ({}) — health {} {}: {}\nComputed live as of {} with weights {}; `csf health list` shows the stored nightly scores.\n",
                render::visible(c.label()),
                render::visible(&c.id),
                l.score,
                l.band.name(),
                l.band.action(),
                time::short(ctx.now),
                render::backtest::labelled(l.weights)
            );
            if !l.scored {
                out.push_str("(not scored by `health score`: churned or not yet signed up)\n");
            }
            out.push('\n');
            out.push_str(&rh::live_text(&l, ctx.color));
            if let Some((day, score, w)) = &hist.stored {
                let w =
                    crate::domain::settings::parse_weights(w).map_or(w.clone(), render::backtest::labelled);
                out.push_str(&format!("\nLatest stored snapshot: {score} on {day}, weights {w}\n"));
            }
            if scores.is_empty() {
                out.push_str("\nTrend: no snapshots yet (`csf health score` stores one a day)\n");
            } else {
                out.push_str(&format!(
                    "\nTrend ({}, {} → {}): {}\n",
                    render::count(scores.len() as i64, "snapshot"),
                    hist.scores[0].0,
                    hist.scores[hist.scores.len() - 1].0,
                    render::trends::score_sparkline(&scores)
                ));
            }
            render::out(&out)
        }
    }
}
