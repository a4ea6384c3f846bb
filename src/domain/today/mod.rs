//! `csf today` (docs/today.md): one judgement per customer, ranked by what
//! is at stake. This module holds the kinds, the ids, the rank and the
//! suggestions for a mistyped id; `judge` decides each customer's action
//! from its facts, `draft` turns a template into a message. Pure: `now`
//! comes in.

pub mod draft;
pub mod judge;

use crate::money::Cents;

pub use draft::{Draft, Message};

/// The kinds, in the order they rank (docs/today.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The usage data is stale: import before acting on health.
    Data,
    Ticket,
    Rescue,
    Onboarding,
    Winback,
    Expand,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Data, Kind::Ticket, Kind::Rescue, Kind::Onboarding, Kind::Winback, Kind::Expand];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Data => "data",
            Kind::Ticket => "ticket",
            Kind::Rescue => "rescue",
            Kind::Onboarding => "onboarding",
            Kind::Winback => "winback",
            Kind::Expand => "expand",
        }
    }

    /// How a done action is logged as a touch.
    pub fn touch_kind(self) -> &'static str {
        match self {
            Kind::Rescue => "call",
            _ => "email",
        }
    }
}

/// What doing an action changes besides logging a touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Record the draft as the ticket's reply (as `csf ticket reply`).
    Reply { tid: i64, ticket_id: String },
    /// Mark the sequence step done (as `--mark-done`).
    Step { sequence: &'static str, started_on: crate::time::Day, day: i64 },
    /// Only the touch.
    Touch,
    /// Nothing to record: the action clears itself (fresh data).
    None,
}

/// One action due this morning.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub id: String,
    pub kind: Kind,
    /// The customer's row id; 0 for the `data` action.
    pub cid: i64,
    pub customer_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// The MRR at stake in cents: today's for a customer, the MRR lost for a churned one.
    pub mrr_cents: Option<Cents>,
    /// `YYYY-MM-DD`: when it became due.
    pub due_on: crate::time::Day,
    /// The rank within the kind: smaller first (see [`rank`]).
    pub rank: (i64, i64),
    pub why: String,
    pub action: String,
    /// The template the draft comes from, filled only for the actions shown.
    pub template: Option<String>,
    pub draft: Option<Draft>,
    pub effect: Effect,
    /// Until when a skip hides it (Unix seconds), for `--skipped`.
    pub skipped_until: Option<i64>,
    /// The customer's latest usage event, for `{last_active}`.
    pub last_active: Option<i64>,
    /// A ticket's subject, for `{issue}` and the reply's subject line.
    pub topic: Option<String>,
    /// A rescue's risk (%), the highest stored among its band and signs;
    /// `None` without stored evidence or for another kind.
    pub risk: Option<f64>,
    /// MRR at stake × risk, for a rescue with a risk.
    pub expected_loss: Option<Cents>,
    /// What a rescue is about (`judge::Basis::text`), stored with its touch when done.
    pub basis: Option<String>,
    /// A ticket's first-response target: a skip never hides it past this.
    pub target_at: Option<i64>,
}

/// An action's slot: its id without the customer's id (`rescue`,
/// `onboarding-7`, `ticket-T1`, `data-usage-2026-11-17`), so a skip follows
/// the customer (by its internal key) through a change of id.
pub fn slot(kind: Kind, id: &str, customer_id: &str) -> String {
    match kind {
        Kind::Ticket | Kind::Data => id.to_string(),
        _ if customer_id.is_empty() => id.to_string(),
        _ => id.replacen(&format!("-{customer_id}"), "", 1),
    }
}

/// Stable ids: the same action has the same id every morning until done.
pub fn ticket_id(ticket: &str) -> String {
    format!("ticket-{ticket}")
}
pub fn rescue_id(customer: &str) -> String {
    format!("rescue-{customer}")
}
pub fn expand_id(customer: &str) -> String {
    format!("expand-{customer}")
}
pub fn step_id(sequence: &str, customer: &str, day: i64) -> String {
    format!("{sequence}-{customer}-{day}")
}
pub fn data_id(newest_day: crate::time::Day) -> String {
    format!("data-usage-{newest_day}")
}

/// The rank within a kind, smaller first: rescue and expand by MRR (highest
/// first, none last) then lower score (rescue) or higher score (expand);
/// onboarding by signup, oldest first; win-back by the MRR lost. Tickets
/// pass their own urgency.
pub fn rank(kind: Kind, mrr_cents: Option<Cents>, score: Option<i64>, signup: Option<i64>) -> (i64, i64) {
    let money = mrr_cents.map_or(i64::MAX, |m| -m.0);
    match kind {
        Kind::Rescue => (money, score.unwrap_or(i64::MAX)),
        Kind::Expand => (money, score.map_or(i64::MAX, |s| -s)),
        Kind::Winback => (money, 0),
        Kind::Onboarding => (signup.unwrap_or(i64::MAX), 0),
        Kind::Data | Kind::Ticket => (0, 0),
    }
}

/// A rescue's expected loss: the MRR at stake × the risk (%), in cents.
pub fn expected_loss(mrr_cents: Option<Cents>, risk: f64) -> Cents {
    Cents((mrr_cents.map_or(0, |m| m.0) as f64 * risk / 100.0).round() as i64)
}

/// A rescue's rank with stored evidence: the highest expected loss first,
/// then the higher risk (then, in [`sort`], the customer id).
pub fn rescue_rank(mrr_cents: Option<Cents>, risk: f64) -> (i64, i64) {
    (-expected_loss(mrr_cents, risk).0, -(risk * 1e6).round() as i64)
}

/// Most urgent first: by kind, then rank, then customer id and action id.
pub fn sort(actions: &mut [Action]) {
    actions.sort_by(|a, b| {
        (a.kind, a.rank, &a.customer_id, &a.id).cmp(&(b.kind, b.rank, &b.customer_id, &b.id))
    });
}

/// The due ids nearest to a mistyped `id`: the same ignoring case, a prefix
/// either way, or within a small edit distance; at most three, nearest first.
pub fn suggest<'a>(id: &str, due: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let want = id.trim().to_lowercase();
    let mut scored: Vec<(usize, &str)> = due
        .into_iter()
        .filter_map(|d| {
            let l = d.to_lowercase();
            let dist = edit_distance(&want, &l);
            let prefix = l.starts_with(&want) || want.starts_with(&l);
            let limit = (want.chars().count() / 3).max(2);
            (prefix || dist <= limit).then_some((if prefix { dist.min(1) } else { dist }, d))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, d)| d.to_string()).collect()
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests;
