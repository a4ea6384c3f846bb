//! `csf health backtest | tune` (SPEC §12): replay past cutoffs, measure how
//! well the score foretold churn, and search the weight grid.

use anyhow::{bail, Context as _, Result};
use rusqlite::Connection;
use serde_json::{json, Value as Json};

use crate::cli::health::{HealthCmd, WindowArgs};
use crate::context::Ctx;
use crate::domain::backtest::{self as bt, Auc, BandRow, Sample};
use crate::domain::health::{self, Band};
use crate::domain::settings::{self, Settings};
use crate::render::{self, Format, Rows, Value};
use crate::store::backtest::{facts_at, History};
use crate::store::{self, config};
use crate::time::{self, iso_date, DAY};

/// The cutoffs of a backtest, as UTC day numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: i64,
    pub to: i64,
    pub every: i64,
    pub horizon: i64,
}

impl Window {
    /// Fills the defaults of §12.1 and refuses windows that cannot be measured.
    pub fn new(
        today: i64,
        from: Option<i64>,
        to: Option<i64>,
        every: Option<i64>,
        horizon: Option<i64>,
    ) -> Result<Window> {
        let every = every.unwrap_or(30);
        let horizon = horizon.unwrap_or(90);
        if every < 1 {
            bail!("--every must be at least 1 day, got {every}");
        }
        if horizon < 1 {
            bail!("--horizon must be at least 1 day, got {horizon}");
        }
        let to = to.unwrap_or(today - horizon);
        let from = from.unwrap_or(to - 11 * every);
        if from > to {
            bail!("--from {} is after --to {}; give a --from on or before --to", day(from), day(to));
        }
        if to + horizon > today {
            bail!(
                "the outcome of this window is not known yet: the last cutoff {} plus the {horizon}-day horizon \
                 ends {}, after today {}; use --to {} or earlier, or a shorter --horizon",
                day(to),
                day(to + horizon),
                day(today),
                day(today - horizon)
            );
        }
        Ok(Window { from, to, every, horizon })
    }

    /// Each cutoff at 23:59:59 UTC of its day, oldest first.
    pub fn cutoffs(&self) -> Vec<i64> {
        (self.from..=self.to).step_by(self.every as usize).map(|d| d * DAY + DAY - 1).collect()
    }
}

fn day(d: i64) -> String {
    iso_date(d * DAY)
}

fn parse_day(flag: &str, s: &str) -> Result<i64> {
    time::parse_now(s).map(time::day_number).map_err(|e| anyhow::anyhow!("{flag} \"{s}\" {e}"))
}

fn window(ctx: &Ctx, w: &WindowArgs) -> Result<Window> {
    let from = w.from.as_deref().map(|s| parse_day("--from", s)).transpose()?;
    let to = w.to.as_deref().map(|s| parse_day("--to", s)).transpose()?;
    Window::new(ctx.today(), from, to, w.every, w.horizon)
}

/// One sample with where it came from.
pub struct Sampled {
    /// Index into the cutoffs.
    pub cutoff: usize,
    /// Index into the history's customers.
    pub customer: usize,
    pub sample: Sample,
}

pub struct Replay {
    pub window: Window,
    pub cutoffs: Vec<i64>,
    pub history: History,
    pub samples: Vec<Sampled>,
}

/// Loads the history once and sweeps the cutoffs in memory: every customer
/// active at a cutoff, with the components `csf --now CUTOFF health score`
/// would store, and whether it churned within the horizon.
pub fn replay(conn: &Connection, settings: &Settings, window: Window, progress: bool) -> Result<Replay> {
    let cutoffs = window.cutoffs();
    let (first, last) = (cutoffs[0], cutoffs[cutoffs.len() - 1]);
    let history = History::load(conn, first, last).context("could not read the history to replay")?;
    let bar = progress.then(|| {
        let pb = indicatif::ProgressBar::new(cutoffs.len() as u64);
        pb.set_message("replaying cutoffs");
        pb
    });
    let mut samples = Vec::new();
    for (k, &now) in cutoffs.iter().enumerate() {
        let today = now.div_euclid(DAY);
        let core = history.core_at(settings, now);
        let end = now + window.horizon * DAY;
        for (i, c) in history.customers.iter().enumerate() {
            if !c.active_at(now) {
                continue;
            }
            let f = facts_at(c, &core, now);
            let components = health::components(&f, core.count, today, now);
            let churned = c.churned_at.is_some_and(|t| t > now && t <= end);
            samples.push(Sampled { cutoff: k, customer: i, sample: Sample { components, churned } });
        }
        if let Some(pb) = &bar {
            pb.inc(1);
        }
    }
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    Ok(Replay { window, cutoffs, history, samples })
}

impl Replay {
    fn scored(&self, weights: [u32; 4], keep: impl Fn(&Sampled) -> bool) -> Vec<(i64, bool)> {
        self.samples.iter().filter(|s| keep(s)).map(|s| (s.sample.score(weights), s.sample.churned)).collect()
    }
}

/// The default-window backtest for the plan: (AUC, lift, samples), or `None`
/// when there is no history to measure (no samples of both kinds).
pub fn plan_summary(
    conn: &Connection,
    settings: &Settings,
    now: i64,
) -> Result<Option<(f64, Option<f64>, usize)>> {
    let Ok(window) = Window::new(now.div_euclid(DAY), None, None, None, None) else { return Ok(None) };
    let r = replay(conn, settings, window, false)?;
    let scored = r.scored(settings.weights(), |_| true);
    Ok(bt::auc(&scored).map(|a| (a.value(), bt::lift(&scored), scored.len())))
}

pub fn run(ctx: &Ctx, conn: &mut Connection, cmd: HealthCmd) -> Result<()> {
    let settings = ctx.settings(conn)?;
    match cmd {
        HealthCmd::Backtest { window: w, weights, missed, samples } => {
            let window = window(ctx, &w)?;
            let weights = match weights {
                Some(v) => settings::parse_weights(&v).map_err(|e| anyhow::anyhow!("--weights: {e}"))?,
                None => settings.weights(),
            };
            let r = replay(conn, &settings, window, ctx.show_progress())?;
            backtest(ctx, &r, weights, missed, samples)
        }
        HealthCmd::Tune { window: w, step, apply } => {
            if step == 0 || 100 % step != 0 {
                bail!("--step must divide 100 (1, 2, 4, 5, 10, 20, 25, 50 or 100), got {step}");
            }
            let window = window(ctx, &w)?;
            let r = replay(conn, &settings, window, ctx.show_progress())?;
            tune(ctx, conn, &r, settings.weights(), step, apply)
        }
        _ => unreachable!("only backtest and tune are dispatched here"),
    }
}

fn weights_text(w: [u32; 4]) -> String {
    w.map(|x| x.to_string()).join(",")
}

fn band_json(rows: &[BandRow]) -> Json {
    json!(rows
        .iter()
        .map(|b| json!({
            "status": b.band.name(), "samples": b.samples, "churned": b.churned,
            "churn_rate": b.churn_rate, "share_of_churn": b.share_of_churn,
        }))
        .collect::<Vec<_>>())
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.1}%"))
}

fn opt(v: Option<f64>, d: usize) -> String {
    v.map_or("-".into(), |v| format!("{v:.d$}"))
}

fn backtest(ctx: &Ctx, r: &Replay, weights: [u32; 4], missed: bool, list: bool) -> Result<()> {
    let scored = r.scored(weights, |_| true);
    let churned = scored.iter().filter(|(_, c)| *c).count();
    let auc = bt::auc(&scored).map(Auc::value);
    let lift = bt::lift(&scored);
    let bands = bt::band_table(&scored);
    let w = &r.window;
    let entry = |s: &Sampled, score: i64| {
        let c = &r.history.customers[s.customer];
        let k = &s.sample.components;
        json!({
            "customer_id": c.id, "cutoff": iso_date(r.cutoffs[s.cutoff]), "score": score,
            "status": Band::of(score).name(),
            "usage": k.usage, "engagement": k.engagement, "satisfaction": k.satisfaction, "payment": k.payment,
            "churned": s.sample.churned, "churned_at": c.churned_at.map(time::rfc3339),
        })
    };
    let missed_list: Vec<Json> = r
        .samples
        .iter()
        .zip(&scored)
        .filter(|(s, (score, _))| s.sample.churned && Band::of(*score) == Band::Healthy)
        .map(|(s, (score, _))| entry(s, *score))
        .collect();
    match ctx.format_or(Format::Table) {
        Format::Json => {
            let mut j = json!({
                "from": day(w.from), "to": day(w.to), "every_days": w.every, "horizon_days": w.horizon,
                "weights": weights, "cutoffs": r.cutoffs.iter().map(|&c| iso_date(c)).collect::<Vec<_>>(),
                "samples": scored.len(), "churned": churned, "auc": auc, "lift": lift, "bands": band_json(&bands),
            });
            if let Some(o) = j.as_object_mut() {
                if missed {
                    o.insert("missed".into(), json!(missed_list));
                }
                if list {
                    let all: Vec<Json> =
                        r.samples.iter().zip(&scored).map(|(s, (sc, _))| entry(s, *sc)).collect();
                    o.insert("sample_list".into(), json!(all));
                }
            }
            render::out(&format!("{}\n", serde_json::to_string_pretty(&j)?))
        }
        format => {
            let mut rows = Rows::new(&["status", "samples", "churned", "churn_rate", "share_of_churn"]);
            for b in &bands {
                rows.push(vec![
                    b.band.name().into(),
                    Value::Int(b.samples as i64).into(),
                    Value::Int(b.churned as i64).into(),
                    b.churn_rate.map_or(Value::Null, |v| Value::Num(v, 1)).into(),
                    b.share_of_churn.map_or(Value::Null, |v| Value::Num(v, 1)).into(),
                ]);
            }
            if format == Format::Csv {
                return ctx.print_rows(&rows);
            }
            let overall = (!scored.is_empty()).then(|| 100.0 * churned as f64 / scored.len() as f64);
            let mut out = format!(
                "Backtest {} → {}: {} cutoffs every {} days, churn within {} days, weights {}\n\
                 {} samples, {} churned ({})\n\n",
                day(w.from),
                day(w.to),
                r.cutoffs.len(),
                w.every,
                w.horizon,
                weights_text(weights),
                scored.len(),
                churned,
                pct(overall)
            );
            out.push_str(&rows.render(format, ctx.color)?);
            out.push('\n');
            out.push_str(&match auc {
                Some(a) => format!(
                    "AUC {a:.2}: a customer who churned scored below one who stayed {:.0}% of the time (0.50 is a coin toss)\n",
                    100.0 * a
                ),
                None => "AUC -: needs both churned and retained samples in the window\n".into(),
            });
            out.push_str(&match lift {
                Some(l) => format!(
                    "Lift {l:.1}: at-risk + critical customers churned {l:.1}× as often as all customers\n"
                ),
                None => "Lift -: no at-risk or critical samples, or nothing churned\n".into(),
            });
            out.push_str(&format!("Missed (churned while healthy): {}\n", missed_list.len()));
            if missed {
                for m in &missed_list {
                    out.push_str(&format!(
                        "  {} at {}: score {}, churned {}\n",
                        m["customer_id"].as_str().unwrap_or_default(),
                        m["cutoff"].as_str().unwrap_or_default(),
                        m["score"],
                        m["churned_at"].as_str().unwrap_or_default()
                    ));
                }
            }
            render::out(&out)
        }
    }
}

/// One side of the tune report.
struct Side {
    weights: [u32; 4],
    fit: Option<f64>,
    check: Option<Auc>,
    bands: Vec<BandRow>,
}

impl Side {
    fn json(&self) -> Json {
        json!({
            "weights": self.weights, "auc_fit": self.fit, "auc_check": self.check.map(Auc::value),
            "bands": self.bands.iter().map(|b| json!({"status": b.band.name(), "churn_rate": b.churn_rate}))
                .collect::<Vec<_>>(),
        })
    }
}

fn tune(
    ctx: &Ctx,
    conn: &mut Connection,
    r: &Replay,
    current: [u32; 4],
    step: u32,
    apply: bool,
) -> Result<()> {
    let nfit = bt::fit_count(r.cutoffs.len());
    let fit: Vec<Sample> = r.samples.iter().filter(|s| s.cutoff < nfit).map(|s| s.sample).collect();
    let check: Vec<Sample> = r.samples.iter().filter(|s| s.cutoff >= nfit).map(|s| s.sample).collect();
    let grid = bt::weight_grid(step);
    let Some((best, _)) = bt::best_weights(&fit, &grid, current) else {
        bail!(
            "the fit cutoffs ({} → {}) need both churned and retained samples to compare weights; \
             widen the window with --from, --to or --horizon",
            iso_date(r.cutoffs[0]),
            iso_date(r.cutoffs[nfit - 1])
        );
    };
    let side = |w: [u32; 4]| {
        let (c, k) = bt::histogram(&fit, w);
        let fit_auc = bt::auc_of_histogram(&c, &k).map(Auc::value);
        let (c, k) = bt::histogram(&check, w);
        Side {
            weights: w,
            fit: fit_auc,
            check: bt::auc_of_histogram(&c, &k),
            bands: bt::band_table(&r.scored(w, |_| true)),
        }
    };
    let (cur, bst) = (side(current), side(best));
    let improves = match (bst.check, cur.check) {
        (Some(b), Some(c)) => b.cmp_exact(c).is_gt(),
        _ => false,
    };
    let why_not = if improves {
        None
    } else if bst.check.is_none() {
        Some(
            "the check cutoffs lack churned or retained samples, so the best weights cannot be confirmed"
                .to_string(),
        )
    } else {
        Some(format!(
            "the best weights' check AUC {} does not beat the current weights' {}",
            opt(bst.check.map(Auc::value), 4),
            opt(cur.check.map(Auc::value), 4)
        ))
    };
    let applied = apply && improves;
    if applied {
        let v = weights_text(best);
        store::write(conn, |tx| config::set(tx, "health.weights", &v))
            .context("could not save health.weights")?;
    }
    match ctx.format_or(Format::Table) {
        Format::Json => {
            let j = json!({ "current": cur.json(), "best": bst.json(), "applied": applied });
            render::out(&format!("{}\n", serde_json::to_string_pretty(&j)?))?;
        }
        format => {
            let mut rows = Rows::new(&[
                "set",
                "weights",
                "auc_fit",
                "auc_check",
                "healthy_churn",
                "neutral_churn",
                "at_risk_churn",
                "critical_churn",
            ]);
            for (name, s) in [("current", &cur), ("best", &bst)] {
                let mut row = vec![
                    name.into(),
                    weights_text(s.weights).into(),
                    s.fit.map_or(Value::Null, |v| Value::Num(v, 3)).into(),
                    s.check.map_or(Value::Null, |v| Value::Num(v.value(), 3)).into(),
                ];
                row.extend(
                    s.bands.iter().map(|b| b.churn_rate.map_or(Value::Null, |v| Value::Num(v, 1)).into()),
                );
                rows.push(row);
            }
            if format == Format::Csv {
                ctx.print_rows(&rows)?;
            } else {
                let out = format!(
                    "Tune over {} cutoffs: fit on the {} oldest ({} → {}), check on the {} newest; {} weight vectors at step {}\n\n{}",
                    r.cutoffs.len(),
                    nfit,
                    iso_date(r.cutoffs[0]),
                    iso_date(r.cutoffs[nfit - 1]),
                    r.cutoffs.len() - nfit,
                    grid.len(),
                    step,
                    rows.render(format, ctx.color)?
                );
                render::out(&out)?;
            }
        }
    }
    if applied {
        ctx.info(format!("Applied: health.weights = {} (was {})", weights_text(best), weights_text(current)));
    } else if let Some(why) = why_not {
        if apply {
            // Said even with --quiet: the user asked for a change and must know nothing changed.
            eprintln!("Not applied: {why}; health.weights stays {}", weights_text(current));
        } else {
            ctx.info(format!("Keep the current weights: {why}."));
        }
    } else {
        ctx.info(format!("`csf health tune --apply` would set health.weights = {}", weights_text(best)));
    }
    Ok(())
}
