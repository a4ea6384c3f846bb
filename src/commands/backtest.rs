//! `csf health backtest | tune | evidence` (docs/health.md): replay past
//! cutoffs, measure how well the score and the signs foretold churn, and
//! search the weight grid.

use anyhow::{bail, Result};

use crate::app::backtest::{self as app, weights_text, Replay, Window};
use crate::app::evidence;
use crate::cli::health::{HealthCmd, WindowArgs};
use crate::context::Ctx;
use crate::domain::settings::{self, Settings};
use crate::render::{self, backtest as rb, Format};
use crate::time;

fn parse_day(flag: &str, s: &str) -> Result<time::Day> {
    time::parse_now(s).map(time::Day::of).map_err(|e| anyhow::anyhow!("{flag} \"{s}\" {e}"))
}

fn window(ctx: &Ctx, w: &WindowArgs) -> Result<Window> {
    let from = w.from.as_deref().map(|s| parse_day("--from", s)).transpose()?;
    let to = w.to.as_deref().map(|s| parse_day("--to", s)).transpose()?;
    Window::new(ctx.today(), from, to, w.every, w.horizon)
}

/// A bar over the window's cutoffs, on a terminal.
fn progress(ctx: &Ctx, window: Window) -> Option<indicatif::ProgressBar> {
    ctx.show_progress().then(|| {
        let pb = indicatif::ProgressBar::new(window.cutoffs().len() as u64);
        pb.set_message("replaying cutoffs");
        pb
    })
}

/// The replay with a progress bar on a terminal.
fn replay(ctx: &Ctx, conn: &rusqlite::Connection, settings: &Settings, window: Window) -> Result<Replay> {
    let bar = progress(ctx, window);
    let r = app::replay(conn, settings, window, &|| {
        if let Some(pb) = &bar {
            pb.inc(1);
        }
    });
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    r
}

pub fn run(ctx: &Ctx, cmd: HealthCmd) -> Result<()> {
    let mut conn = ctx.open()?;
    // The replay reads each table once, in order: a small page cache will do.
    crate::app::readers::scan_only(&conn)?;
    let settings = ctx.settings(&conn)?;
    let format = ctx.format_or(Format::Table);
    match cmd {
        HealthCmd::Backtest { window: w, weights, missed, samples } => {
            let window = window(ctx, &w)?;
            let weights = match weights {
                Some(v) => settings::parse_weights(&v).map_err(|e| anyhow::anyhow!("--weights: {e}"))?,
                None => settings.weights(),
            };
            let r = replay(ctx, &conn, &settings, window)?;
            // The evidence of the same window: stored when it covers it, else measured (not stored).
            let signs_better = evidence::for_window(&conn, &settings, window, ctx.now())?
                .is_some_and(|e| e.signs_beat_score());
            render::out(&rb::report(&r, weights, missed, samples, signs_better, format, ctx.color)?)
        }
        HealthCmd::Tune { window: w, step, apply } => {
            if step == 0 || 100 % step != 0 {
                bail!("--step must divide 100 (1, 2, 4, 5, 10, 20, 25, 50 or 100), got {step}");
            }
            let window = window(ctx, &w)?;
            let r = replay(ctx, &conn, &settings, window)?;
            let current = settings.weights();
            // The stored text tune starts from: applied only if still there.
            let read = settings.is_set("health.weights").then(|| settings.get("health.weights")).flatten();
            let t = app::tune(&r, current, step)?;
            let target = t.best.as_ref().filter(|_| t.reason.is_none()).map(|b| b.weights);
            let applied = match target {
                Some(w) if apply => {
                    app::apply(&mut conn, read.as_deref(), w)?;
                    true
                }
                _ => false,
            };
            render::out(&rb::tune(&t, &r, applied, format, ctx.color)?)?;
            if applied {
                let best = target.unwrap_or(current);
                ctx.info(format!(
                    "Applied: health.weights = {} — {} (was {})",
                    weights_text(best),
                    rb::labelled(best),
                    weights_text(current)
                ));
            } else if apply {
                // Said even with --quiet: the user asked for a change and must know nothing
                // changed, and which weights scores use now (a `config set` may have run meanwhile).
                let why = t.reason.as_deref().unwrap_or("nothing to apply");
                let now = app::in_force(&mut conn, read.as_deref())?;
                let w = weights_text(now.weights);
                let named = format!("{w} ({})", rb::labelled(now.weights));
                let state = match (&now.stored, now.changed) {
                    (Some(v), _) if now.invalid => format!(
                        "health.weights is \"{}\", not four weights summing to 100, so the default {named} \
                         is in force — set it with `csf config set health.weights {w}`",
                        crate::escape::visible(v)
                    ),
                    (_, false) => format!("health.weights stays {named}"),
                    (stored, true) => format!(
                        "health.weights was changed to {} while tune ran (tune started from {}): {named} is in force",
                        stored.as_deref().unwrap_or("the default (unset)"),
                        read.as_deref().unwrap_or("the default (unset)")
                    ),
                };
                eprintln!("Not applied: {why}; {state}");
            }
            Ok(())
        }
        HealthCmd::Evidence { window: w, missed_why } => {
            let defaulted = w.from.is_none() && w.to.is_none() && w.every.is_none() && w.horizon.is_none();
            let window = window(ctx, &w)?;
            let bar = progress(ctx, window);
            let m = evidence::measure(&conn, &settings, window, missed_why, &|| {
                if let Some(pb) = &bar {
                    pb.inc(1);
                }
            });
            if let Some(pb) = bar {
                pb.finish_and_clear();
            }
            let m = m?;
            let Some(e) = &m.evidence else {
                bail!(
                    "no evidence yet: no customer churned within {} after a cutoff from {} to {} — \
                     widen the window with --from, --to or --horizon once the history is longer",
                    render::count(window.horizon, "day"),
                    window.from,
                    window.to
                );
            };
            if defaulted {
                crate::store::write(&mut conn, |tx| evidence::save(tx, ctx.now(), &m))?;
                ctx.info("Stored: `csf today` ranks rescues by this evidence.");
            }
            let missed = missed_why.then_some(m.missed.as_slice());
            render::out(&render::evidence::report(e, ctx.today(), m.span(), missed, format, ctx.color)?)
        }
        other => unreachable!("lib.rs dispatches only backtest and tune here, not {other:?}"),
    }
}
