//! One judgement per customer (docs/today.md): the first kind that applies
//! — rescue, onboarding, win-back, expand — with every reason that applies,
//! so nothing is hidden by the merge. Ticket actions come on top of it.

use crate::domain::health::Band;
use crate::domain::sequence::Step;
use crate::time::{iso_date, Day};

/// Days a touch keeps a customer out of `rescue`.
pub const RESCUE_QUIET_DAYS: i64 = 7;
/// Days a touch keeps a healthy customer out of `expand`.
pub const EXPAND_QUIET_DAYS: i64 = 30;
/// Days a done `rescue` holds unless something new appears.
pub const RESCUE_HELD_DAYS: i64 = 30;
/// Days a done `rescue` keeps a customer from an `expand`.
pub const EXPAND_AFTER_RESCUE_DAYS: i64 = 30;
/// A score this many points below the one 7 days before blocks an `expand`.
pub const EXPAND_MAX_DROP: i64 = 10;
/// Days a done `expand` keeps it from coming back.
pub const EXPAND_AGAIN_DAYS: i64 = 90;
/// A customer must be this many days old before an expansion pitch.
pub const EXPAND_MIN_AGE_DAYS: i64 = 28;
/// The only signs that rescue a new customer.
pub const NEW_RESCUE_SIGNS: [crate::domain::churn::Signal; 2] =
    [crate::domain::churn::Signal::PaymentFailure, crate::domain::churn::Signal::NegativeFeedback];
/// Days without usage after which a paying customer is rescued.
pub const SILENT_DAYS: i64 = 30;

/// A sequence step due today (within its window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueStep {
    pub sequence: &'static str,
    pub step: Step,
    /// The sequence's first day.
    pub start_day: Day,
}

/// A current warning sign, as `churn risks` finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sign {
    pub signal: crate::domain::churn::Signal,
    pub detail: String,
    pub response: &'static str,
    /// False when the stored evidence calls every part of it not
    /// predictive here (30+ samples): listed, but never a rescue on its own.
    pub predictive: bool,
}

/// What a done rescue was about: the band it was in (at-risk or worse) and
/// its signs. It stays done until something new appears (docs/today.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Basis {
    pub band: Option<Band>,
    /// The signs, a bit each in `Signal::ALL` order (a morning holds one basis per customer).
    signs: u8,
}

impl Basis {
    /// The basis of a rescue judged on `f`.
    pub fn of(f: &Facts) -> Basis {
        let mut b = Basis { band: f.score.map(Band::of).filter(|b| *b <= Band::AtRisk && !f.new), signs: 0 };
        f.signs.iter().for_each(|s| b.add(s.signal));
        b
    }

    fn bit(s: crate::domain::churn::Signal) -> u8 {
        1 << crate::domain::churn::Signal::ALL.iter().position(|x| *x == s).unwrap_or(0)
    }

    fn add(&mut self, s: crate::domain::churn::Signal) {
        self.signs |= Self::bit(s);
    }

    /// Whether the basis had the sign.
    pub fn has(&self, s: crate::domain::churn::Signal) -> bool {
        self.signs & Self::bit(s) != 0
    }

    fn signals(&self) -> Vec<crate::domain::churn::Signal> {
        crate::domain::churn::Signal::ALL.into_iter().filter(|s| self.has(*s)).collect()
    }

    /// "band=critical;signs=usage-drop,payment-failure", as stored with the touch.
    pub fn text(&self) -> String {
        let signs: Vec<&str> = self.signals().iter().map(|s| s.name()).collect();
        format!("band={};signs={}", self.band.map_or("-", Band::name), signs.join(","))
    }

    pub fn parse(s: &str) -> Basis {
        let mut b = Basis::default();
        for part in s.split(';') {
            match part.split_once('=') {
                Some(("band", v)) => b.band = Band::parse(v),
                Some(("signs", v)) => v
                    .split(',')
                    .filter_map(|n| crate::domain::churn::Signal::ALL.into_iter().find(|s| s.name() == n))
                    .for_each(|s| b.add(s)),
                _ => {}
            }
        }
        b
    }
}

/// What the judgement needs to know about one customer, as of `now`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The live score; `None` when `health score` would not score the
    /// customer (churned, or not signed up yet).
    pub score: Option<i64>,
    pub signs: Vec<Sign>,
    /// The parts of the current signs (docs/health.md#evidence), for the risk.
    pub parts: crate::domain::evidence::PartSet,
    pub churned_at: Option<i64>,
    pub signed_up_at: Option<i64>,
    /// The latest usage event at or before now.
    pub last_active: Option<i64>,
    /// Active weekly blocks of the last four.
    pub active_blocks: usize,
    /// The due onboarding step (none for a churned customer). Boxed: few
    /// customers have one, and a morning holds the facts of every customer.
    pub onboarding: Option<Box<DueStep>>,
    /// The due win-back step.
    pub winback: Option<Box<DueStep>>,
    pub last_touch: Option<i64>,
    pub last_expand: Option<i64>,
    /// Something unhappy in the last 90 days: NPS ≤ 6, CSAT ≤ 2, a failed or
    /// late payment, a ticket still unanswered (an expand guard).
    pub unhappy_90d: bool,
    /// The last `rescue` done.
    pub last_rescue: Option<i64>,
    /// What that rescue was about (None: done before csf kept it).
    pub rescue_basis: Option<Basis>,
    /// An NPS answer, a CSAT rating or a failed invoice since that rescue.
    pub news_since_rescue: bool,
    /// Today's score less the one stored 7 days before.
    pub change_7d: Option<i64>,
    /// Activity of the last 14 days below the 14 before.
    pub declining: bool,
    /// Signed up less than `health.grace_days` ago: neither the band nor
    /// missing usage rescues them, only a failed payment or negative feedback.
    pub new: bool,
}

/// The one action a customer gets, with every reason that applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub kind: super::Kind,
    pub reasons: Vec<String>,
    /// What to do, in the framework's words.
    pub action: String,
    /// The step behind an onboarding or win-back action.
    pub step: Option<DueStep>,
}

/// Whether `at` falls in the last `days` days (today included).
pub fn within_days(at: Option<i64>, days: i64, now: i64) -> bool {
    at.is_some_and(|t| t <= now && Day::of(t) > Day::of(now) - days)
}

fn churned(f: &Facts, now: i64) -> bool {
    f.churned_at.is_some_and(|t| t <= now)
}

/// Whole days without usage, counted from the last event (or the signup
/// when there is none), if `SILENT_DAYS` or more.
pub fn silent_days(f: &Facts, now: i64) -> Option<i64> {
    let from = f.last_active.or(f.signed_up_at)?;
    let days = Day::of(now) - Day::of(from);
    (days >= SILENT_DAYS).then_some(days)
}

/// Every reason that applies to the customer, in words with figures.
pub fn reasons(f: &Facts, now: i64) -> Vec<String> {
    let mut r = Vec::new();
    if churned(f, now) {
        r.push(format!("churned on {}", iso_date(f.churned_at.unwrap_or(now))));
    }
    if let Some(s) = f.score.filter(|_| !f.new) {
        let band = Band::of(s);
        if band <= Band::AtRisk {
            r.push(format!("{} (health {s})", band.name()));
        }
    }
    for s in &f.signs {
        r.push(format!("{}: {}", s.signal.name(), s.detail));
    }
    if !churned(f, now) && !f.new {
        if let Some(d) = silent_days(f, now) {
            let since = f.last_active.map_or("signup".to_string(), iso_date);
            r.push(format!("no usage for {d} days (last {since})"));
        }
    }
    for d in [&f.onboarding, &f.winback].into_iter().flatten() {
        let n = Day::of(now) - d.start_day;
        r.push(format!("{} day {n}: {} due", d.sequence, d.step.name));
    }
    r
}

/// The first kind that applies (rescue → onboarding → win-back → expand),
/// or none — without building any text (cheap enough for every customer).
pub fn decide(f: &Facts, now: i64) -> Option<super::Kind> {
    use super::Kind;
    let gone = churned(f, now);
    let signed_up = f.signed_up_at.is_none_or(|t| t <= now);
    if !gone && signed_up {
        // A new customer is rescued only for a failed payment or negative feedback.
        let at_risk = !f.new && f.score.is_some_and(|s| Band::of(s) <= Band::AtRisk);
        let silent = !f.new && silent_days(f, now).is_some();
        let signed = f.signs.iter().any(|s| s.predictive && (!f.new || NEW_RESCUE_SIGNS.contains(&s.signal)));
        if (at_risk || signed || silent)
            && !within_days(f.last_touch, RESCUE_QUIET_DAYS, now)
            && !held(f, now)
        {
            return Some(Kind::Rescue);
        }
    }
    if !gone && f.onboarding.is_some() {
        return Some(Kind::Onboarding);
    }
    if gone {
        return f.winback.as_ref().map(|_| Kind::Winback);
    }
    let healthy = f.score.is_some_and(|s| Band::of(s) == Band::Healthy);
    let old_enough = f.signed_up_at.is_none_or(|t| Day::of(now) - Day::of(t) >= EXPAND_MIN_AGE_DAYS);
    (healthy
        && f.signs.is_empty()
        && old_enough
        && f.active_blocks >= 3
        && !within_days(f.last_touch, EXPAND_QUIET_DAYS, now)
        && !within_days(f.last_expand, EXPAND_AGAIN_DAYS, now)
        && expand_guards_pass(f, now))
    .then_some(Kind::Expand)
}

/// Nothing unhappy lately, so an upsell is not tone-deaf and a customer does
/// not flip between rescue and upsell: no NPS ≤ 6, CSAT ≤ 2, failed or late
/// payment or unanswered ticket in 90 days, no rescue done in 30, a score not
/// more than 10 below a week ago, activity not falling.
pub fn expand_guards_pass(f: &Facts, now: i64) -> bool {
    !f.unhappy_90d
        && !within_days(f.last_rescue, EXPAND_AFTER_RESCUE_DAYS, now)
        && f.change_7d.is_none_or(|d| d >= -EXPAND_MAX_DROP)
        && !f.declining
}

/// A done rescue holds for 30 days unless a new reason appears: a sign it
/// did not have, a worse band, a new NPS answer, CSAT rating or failed invoice.
pub fn held(f: &Facts, now: i64) -> bool {
    if !within_days(f.last_rescue, RESCUE_HELD_DAYS, now) {
        return false;
    }
    let Some(then) = &f.rescue_basis else { return false };
    let now_basis = Basis::of(f);
    let new_sign = now_basis.signals().iter().any(|s| !then.has(*s));
    let worse_band = match (now_basis.band, then.band) {
        (Some(b), Some(t)) => b < t,
        (Some(_), None) => true,
        _ => false,
    };
    !(new_sign || worse_band || f.news_since_rescue)
}

/// The step behind an onboarding or win-back judgement.
pub fn step_of(f: &Facts, kind: super::Kind) -> Option<&DueStep> {
    match kind {
        super::Kind::Onboarding => f.onboarding.as_deref(),
        super::Kind::Winback => f.winback.as_deref(),
        _ => None,
    }
}

/// The judgement with every reason that applies, in words with figures.
pub fn judge(f: &Facts, now: i64) -> Option<Verdict> {
    use super::Kind;
    let kind = decide(f, now)?;
    let mut reasons = reasons(f, now);
    let step = step_of(f, kind).cloned();
    let action = match kind {
        Kind::Rescue => {
            let mut what: Vec<String> = Vec::new();
            if let Some(b) = f.score.map(Band::of).filter(|b| *b <= Band::AtRisk && !f.new) {
                what.push(b.action().to_string());
            }
            for s in &f.signs {
                if !what.iter().any(|w| w == s.response) {
                    what.push(s.response.to_string());
                }
            }
            if what.is_empty() {
                what.push("Re-engagement email".into());
            }
            what.join("; ")
        }
        Kind::Onboarding | Kind::Winback => step.as_ref().map(step_action).unwrap_or_default(),
        _ => {
            reasons.insert(
                0,
                format!(
                    "healthy (health {}), active {} of the last 4 weeks, no touch in {EXPAND_QUIET_DAYS} days",
                    f.score.unwrap_or_default(),
                    f.active_blocks
                ),
            );
            Band::Healthy.action().to_string()
        }
    };
    Some(Verdict { kind, reasons, action, step })
}

fn step_action(d: &DueStep) -> String {
    format!("{} (day {}): {}", d.step.name, d.step.day, d.step.message)
}

/// The draft of a rescue, after its strongest reason (docs/today.md): the
/// sign behind the customer's risk when the evidence names one, else a
/// failed payment, negative feedback, a usage drop or silence, a ticket
/// burst, in that order; the generic check-in otherwise.
pub fn rescue_template(f: &Facts, now: i64, strongest: Option<crate::domain::churn::Signal>) -> &'static str {
    use crate::domain::churn::Signal;
    let has = |s: Signal| f.signs.iter().any(|x| x.signal == s);
    let pick = strongest.filter(|s| has(*s)).or_else(|| {
        [Signal::PaymentFailure, Signal::NegativeFeedback, Signal::UsageDrop, Signal::SupportSpike]
            .into_iter()
            .find(|s| has(*s))
    });
    match pick {
        Some(Signal::PaymentFailure) => "rescue-payment",
        Some(Signal::NegativeFeedback) => "rescue-feedback",
        Some(Signal::UsageDrop) => "rescue-usage",
        Some(Signal::SupportSpike) => "rescue-tickets",
        _ if !f.new && silent_days(f, now).is_some() => "rescue-usage",
        _ => "rescue",
    }
}
