//! The backtest and tune (docs/health.md): replay past cutoffs from the
//! history, measure how well the score foretold churn, and search the
//! weight grid for better weights.

use anyhow::{bail, Context as _, Result};
use rusqlite::Connection;

use crate::domain::backtest::{self as bt, BandRow, Measures, Sample};
use crate::domain::fold::Bounds;
use crate::domain::health::{self, Weights};
use crate::domain::settings::Settings;
use crate::store::backtest::{facts_at, History};
use crate::time::{iso_date, Day};

/// The cutoffs of a backtest: days `every` days apart from `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Day,
    pub to: Day,
    pub every: i64,
    pub horizon: i64,
}

impl Window {
    /// Fills the defaults (12 cutoffs 30 days apart, a 90-day horizon,
    /// ending as late as the horizon allows) and refuses windows that cannot
    /// be measured.
    pub fn new(
        today: Day,
        from: Option<Day>,
        to: Option<Day>,
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
        // Cutoffs and horizons stay within 1970-01-01 … 9999-12-31: never a
        // saturated or wrapped day.
        let ok = |d: Day| (Day::default()..=Day::LAST).contains(&d);
        let to = match to {
            Some(d) if ok(d) => d,
            Some(_) => bail!("--to is outside the years 1970–9999; give a date in them"),
            None => match today.checked_sub(horizon).filter(|d| ok(*d)) {
                Some(d) => d,
                None => bail!(
                    "--horizon {horizon} reaches before 1970; the window must fall within the years 1970–9999 — \
                     use a shorter --horizon"
                ),
            },
        };
        let from = match from {
            Some(d) if ok(d) => d,
            Some(_) => bail!("--from is outside the years 1970–9999; give a date in them"),
            None => match every.checked_mul(11).and_then(|span| to.checked_sub(span)).filter(|d| ok(*d)) {
                Some(d) => d,
                None => bail!(
                    "--every {every} puts the first cutoff before 1970; the window must fall within the years \
                     1970–9999 — use a smaller --every, or give --from"
                ),
            },
        };
        if to.checked_add(horizon).is_none_or(|end| end > Day::LAST) {
            bail!("--horizon {horizon} ends after the year 9999; use a shorter --horizon");
        }
        if from > to {
            bail!("--from {from} is after --to {to}; give a --from on or before --to");
        }
        if to + horizon > today {
            bail!(
                "the outcome of this window is not known yet: the last cutoff {} plus the {horizon}-day horizon \
                 ends {}, after today {}; use --to {} or earlier, or a shorter --horizon",
                to,
                to + horizon,
                today,
                today - horizon
            );
        }
        Ok(Window { from, to, every, horizon })
    }

    /// Each cutoff at 23:59:59 UTC of its day, oldest first.
    pub fn cutoffs(&self) -> Vec<i64> {
        (0..=self.to - self.from).step_by(self.every as usize).map(|k| (self.from + k).end()).collect()
    }
}

/// One sample with where it came from.
pub struct Sampled {
    /// Index into the cutoffs (32 bits: a sample is kept for every customer
    /// at every cutoff, so its size is the replay's memory).
    pub cutoff: u32,
    /// Index into the history's customers.
    pub customer: u32,
    pub sample: Sample,
}

impl Sampled {
    pub fn cutoff(&self) -> usize {
        self.cutoff as usize
    }
    pub fn customer(&self) -> usize {
        self.customer as usize
    }
}

pub struct Replay {
    pub window: Window,
    pub cutoffs: Vec<i64>,
    pub history: History,
    pub samples: Vec<Sampled>,
}

/// Loads the history once and sweeps the cutoffs in memory: every customer
/// active at a cutoff, with the components `csf --now CUTOFF health score`
/// would store, and whether it churned within the horizon. `tick` is called
/// after each cutoff (a progress bar).
pub fn replay(conn: &Connection, settings: &Settings, window: Window, tick: &dyn Fn()) -> Result<Replay> {
    let cutoffs = window.cutoffs();
    let mut history = load(conn, &cutoffs)?;
    let mut samples = Vec::new();
    sweep(&history, settings, &window, &cutoffs, tick, |cutoff, customer, sample| {
        // Indices fit 32 bits: cutoffs are days, customers at most billions.
        samples.push(Sampled { cutoff: cutoff as u32, customer: customer as u32, sample })
    });
    // The report needs who each sample is, not their events any more.
    history.customers.iter_mut().for_each(|c| c.forget_events());
    samples.shrink_to_fit();
    Ok(Replay { window, cutoffs, history, samples })
}

fn load(conn: &Connection, cutoffs: &[i64]) -> Result<History> {
    History::load(conn, cutoffs[0], cutoffs[cutoffs.len() - 1])
        .context("could not read the history to replay")
}

/// Each (cutoff, customer, sample) of the replay, in order, to `each`.
pub(crate) fn sweep(
    history: &History,
    settings: &Settings,
    window: &Window,
    cutoffs: &[i64],
    tick: &dyn Fn(),
    mut each: impl FnMut(usize, usize, Sample),
) {
    for (k, &now) in cutoffs.iter().enumerate() {
        let bounds = Bounds::at(now);
        let today = bounds.today;
        let core = history.core_at(settings, now);
        let end = (today + window.horizon).end();
        for (i, c) in history.customers.iter().enumerate() {
            if !c.active_at(now) {
                continue;
            }
            let f = facts_at(c, &core, &bounds);
            let components = health::components(&f, core.count, today, now);
            let churned = c.churned_at.is_some_and(|t| t > now && t <= end);
            each(k, i, Sample { components, churned });
        }
        tick();
    }
}

impl Replay {
    /// (score under `weights`, churned) of every sample, in order.
    pub fn scored(&self, weights: Weights) -> Vec<(i64, bool)> {
        self.samples.iter().map(|s| (s.sample.score(weights), s.sample.churned)).collect()
    }
}

/// The default-window backtest for the plan and the demo: (AUC, lift,
/// samples), or `None` when there is no history to measure.
pub fn plan_summary(
    conn: &Connection,
    settings: &Settings,
    now: i64,
) -> Result<Option<(f64, Option<f64>, usize)>> {
    let billing = crate::app::readers::side_reader(conn)?;
    Ok(plan_measures(conn, billing, settings, now)?
        .and_then(|(m, lift)| m.auc.map(|a| (a.value(), lift, m.samples as usize))))
}

/// The default-window backtest's figures (for the plan's verdict sentence)
/// and lift, or `None` when there is no history to measure. With a
/// `billing` connection to the same file, the billing rows are read on it,
/// beside the usage rows.
pub fn plan_measures(
    conn: &Connection,
    billing: Option<Connection>,
    settings: &Settings,
    now: i64,
) -> Result<Option<(Measures, Option<f64>)>> {
    let Ok(window) = Window::new(Day::of(now), None, None, None, None) else { return Ok(None) };
    // Only counts per score: the samples themselves are not kept.
    let cutoffs = window.cutoffs();
    let history = History::load_beside(conn, billing, cutoffs[0], cutoffs[cutoffs.len() - 1])
        .context("could not read the history to replay")?;
    let weights = settings.weights();
    let (mut churned, mut retained) = ([0u64; 101], [0u64; 101]);
    let mut n = 0;
    sweep(&history, settings, &window, &cutoffs, &|| {}, |_, _, s| {
        let h = if s.churned { &mut churned } else { &mut retained };
        h[s.score(weights).clamp(0, 100) as usize] += 1;
        n += 1;
    });
    drop(history);
    if n == 0 {
        return Ok(None);
    }
    Ok(Some((Measures::of_histogram(&churned, &retained), bt::lift_of_histogram(&churned, &retained))))
}

/// What a backtest found for one weight vector over all the samples.
pub struct Summary {
    pub measures: Measures,
    pub lift: Option<f64>,
    pub bands: Vec<BandRow>,
}

impl Replay {
    pub fn summary(&self, weights: Weights) -> Summary {
        Self::summary_of(&self.scored(weights))
    }

    /// The summary of samples already scored (no second copy of the scores).
    pub fn summary_of(scored: &[(i64, bool)]) -> Summary {
        Summary { measures: Measures::of(scored), lift: bt::lift(scored), bands: bt::band_table(scored) }
    }
}

/// One side of the tune report: a weight vector's figures on the fit and
/// the check cutoffs, and its band table on the check cutoffs.
pub struct Contender {
    pub weights: Weights,
    pub fit: Measures,
    pub check: Measures,
    pub check_bands: Vec<BandRow>,
}

/// What tune found: the current weights, the best eligible ones (`None`
/// when no vector is eligible), the highest fit AUC when it was not
/// eligible (with why), and why the best would not be applied (`None` when
/// it passes every test on the check cutoffs).
pub struct Tune {
    pub fit_cutoffs: usize,
    pub grid_size: usize,
    pub step: u32,
    pub current: Contender,
    pub best: Option<Contender>,
    pub top_ineligible: Option<(Contender, String)>,
    pub reason: Option<String>,
}

fn share(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.1}%"))
}

/// Searches the weight grid on the oldest cutoffs and checks the best on the newest.
pub fn tune(r: &Replay, current: Weights, step: u32) -> Result<Tune> {
    let nfit = bt::fit_count(r.cutoffs.len());
    let fit: Vec<Sample> = r.samples.iter().filter(|s| s.cutoff() < nfit).map(|s| s.sample).collect();
    let check: Vec<Sample> = r.samples.iter().filter(|s| s.cutoff() >= nfit).map(|s| s.sample).collect();
    let grid = bt::weight_grid(step);
    let Some(found) = bt::search(&fit, &grid, current) else {
        bail!(
            "the fit cutoffs ({} → {}) need both churned and retained samples to compare weights; \
             widen the window with --from, --to or --horizon",
            iso_date(r.cutoffs[0]),
            iso_date(r.cutoffs[nfit - 1])
        );
    };
    let side = |c: bt::Candidate| {
        let scored: Vec<(i64, bool)> = check.iter().map(|s| (s.score(c.weights), s.churned)).collect();
        Contender {
            weights: c.weights,
            fit: c.fit,
            check: Measures::of(&scored),
            check_bands: bt::band_table(&scored),
        }
    };
    let cur = side(found.current);
    let top_ineligible = (!found.top.eligible(&cur.fit)).then(|| {
        let t = found.top;
        let mut why = Vec::new();
        if t.fit.caught < cur.fit.caught {
            why.push(format!(
                "catches {} of the leavers, the current weights {}",
                share(t.fit.catch()),
                share(cur.fit.catch())
            ));
        }
        if t.fit.missed > cur.fit.missed {
            why.push(format!(
                "scores {} of the leavers healthy, the current weights {}",
                share(t.fit.missed_share()),
                share(cur.fit.missed_share())
            ));
        }
        (side(t), format!("on the fit cutoffs it {}", why.join(" and ")))
    });
    let best = found.best.map(side);
    let reason = match &best {
        None => Some(format!(
            "no weight vector at step {step} is eligible: none catches at least the current weights' {} of the \
             leavers on the fit cutoffs while scoring at most their {} healthy",
            share(cur.fit.catch()),
            share(cur.fit.missed_share())
        )),
        Some(b) => apply_check(&cur, b),
    };
    Ok(Tune { fit_cutoffs: nfit, grid_size: grid.len(), step, current: cur, best, top_ineligible, reason })
}

/// The three tests `--apply` needs on the check cutoffs: the best's AUC
/// higher, its catch not lower, its missed share not higher. The first
/// that fails, in words; `None` when all pass.
fn apply_check(cur: &Contender, best: &Contender) -> Option<String> {
    let auc = |m: &Measures| m.auc.map_or("-".into(), |a| format!("{:.3}", a.value()));
    if best.weights == cur.weights {
        return Some("the current weights are already the best eligible ones".into());
    }
    let (b, c) = (&best.check, &cur.check);
    match (b.auc, c.auc) {
        (Some(x), Some(y)) if x.cmp_exact(y).is_gt() => {}
        (Some(_), Some(_)) => {
            return Some(format!(
                "on the check cutoffs the best weights' AUC {} does not beat the current weights' {}",
                auc(b),
                auc(c)
            ))
        }
        _ => {
            return Some(
                "the check cutoffs lack churned or retained samples, so the best weights cannot be confirmed"
                    .into(),
            )
        }
    }
    // The same check samples on both sides: compare the counts exactly.
    if b.caught < c.caught {
        return Some(format!(
            "on the check cutoffs the best weights catch {} of the leavers, fewer than the current weights' {}",
            share(b.catch()),
            share(c.catch())
        ));
    }
    if b.missed > c.missed {
        return Some(format!(
            "on the check cutoffs the best weights score {} of the leavers healthy (missed), more than the \
             current weights' {}",
            share(b.missed_share()),
            share(c.missed_share())
        ));
    }
    None
}

/// Weights as the settings store them: "40,25,20,15".
pub fn weights_text(w: Weights) -> String {
    w.to_string()
}

mod apply;
pub use apply::{apply, in_force};

#[cfg(test)]
mod tests;
