//! The morning (docs/today.md): one judgement per customer from what csf
//! already knows — live health, warning signs, due steps, touches — plus
//! the unanswered tickets and a word on stale data, ranked by what is at
//! stake. Drafts are filled only for the actions shown.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;

use crate::app::{churn, health, readers, sequences};
use crate::domain::health::Payment;
use crate::domain::sequence::{self, DueStep as SeqStep, ONBOARDING, WINBACK};
use crate::domain::settings::Settings;
use crate::domain::templates::step_name;
use crate::domain::today::judge::{self, DueStep, Facts, Sign};
use crate::domain::today::{self as td, Action, Effect, Kind};
use crate::store::churn::AtRisk;
use crate::store::customers::{self, Customer};
use crate::store::evidence::Stored;
use crate::store::health::{self as hstore, Features, Window};
use crate::store::{skips, touches};
use crate::time::{self, Day};

/// Unanswered tickets older than this are not the morning's work.
pub const TICKET_DAYS: i64 = 30;

/// One action due: ready (stale data, tickets) or a customer's judgement,
/// whose words are built only when the action is read.
enum Entry {
    Ready(Box<Action>),
    Judged { person: usize, kind: Kind, id: String, rank: (i64, i64) },
}

/// The morning as of now: every action due, ranked, and those hidden by a
/// skip. It holds each customer's facts, not every action's text: an
/// action's words are built when it is read (`due`, `find`), so a book of
/// 100,000 customers ranks in bounded memory.
pub struct Morning {
    people: Vec<Customer>,
    facts: Vec<Facts>,
    now: i64,
    /// The latest stored evidence on or before now: rescues rank by it.
    evidence: Option<Stored>,
    due: Vec<Entry>,
    skipped: Vec<(Entry, i64)>,
}

impl Morning {
    fn kind_of(e: &Entry) -> Kind {
        match e {
            Entry::Ready(a) => a.kind,
            Entry::Judged { kind, .. } => *kind,
        }
    }

    fn id_of(e: &Entry) -> &str {
        match e {
            Entry::Ready(a) => &a.id,
            Entry::Judged { id, .. } => id,
        }
    }

    fn action(&self, e: &Entry) -> Action {
        match e {
            Entry::Ready(a) => (**a).clone(),
            Entry::Judged { person, .. } => {
                judged(&self.people[*person], &self.facts[*person], self.now, self.evidence.as_ref())
                    .unwrap_or_else(|| unreachable!("a judged entry has a verdict"))
            }
        }
    }

    /// Whether rescues rank by stored evidence (else by MRR: "no evidence yet").
    pub fn has_evidence(&self) -> bool {
        self.evidence.is_some()
    }

    /// How many actions of `kinds` (all when empty) are due.
    pub fn count(&self, kinds: &[Kind]) -> usize {
        self.due.iter().filter(|e| kinds.is_empty() || kinds.contains(&Self::kind_of(e))).count()
    }

    /// The actions due of `kinds` (all when empty), most at stake first, built one by one.
    pub fn due<'a>(&'a self, kinds: &'a [Kind]) -> impl Iterator<Item = Action> + 'a {
        self.due
            .iter()
            .filter(move |e| kinds.is_empty() || kinds.contains(&Self::kind_of(e)))
            .map(|e| self.action(e))
    }

    /// The skipped actions, each with the end of its skip.
    pub fn skipped(&self) -> Vec<Action> {
        self.skipped
            .iter()
            .map(|(e, until)| Action { skipped_until: Some(*until), ..self.action(e) })
            .collect()
    }

    /// Every action id, due or skipped (for `done`, `skip` and `draft`), case-insensitive.
    pub fn find(&self, id: &str) -> Option<Action> {
        let id = id.trim();
        self.due
            .iter()
            .chain(self.skipped.iter().map(|(e, _)| e))
            .find(|e| Self::id_of(e).eq_ignore_ascii_case(id))
            .map(|e| self.action(e))
    }

    /// The action `id` (due or skipped), or an error naming the nearest ids.
    pub fn get(&self, id: &str) -> anyhow::Result<Action> {
        self.find(id).ok_or_else(|| {
            let near = self.suggest(id);
            anyhow::anyhow!(
                "no action \"{id}\" is due today{}; `csf today --all` lists the ids",
                if near.is_empty() { String::new() } else { format!(" (did you mean {}?)", near.join(", ")) }
            )
        })
    }

    /// The due ids nearest to a mistyped one.
    pub fn suggest(&self, id: &str) -> Vec<String> {
        td::suggest(id, self.due.iter().chain(self.skipped.iter().map(|(e, _)| e)).map(Self::id_of))
    }
}

/// A customer's action from its judgement, with every reason in words.
fn judged(c: &Customer, f: &Facts, now: i64, e: Option<&Stored>) -> Option<Action> {
    let mut v = judge::judge(f, now)?;
    let (id, due_on, effect, template) = identity(c, v.kind, v.step.as_ref(), now);
    let judged_by = rank::name_evidence(&mut v, f, e);
    let risk = judged_by.map(|(r, _)| r);
    let strongest = match judged_by {
        Some((_, crate::domain::evidence::Predictor::Part(p))) => Some(p.signal()),
        _ => None,
    };
    let template = match v.kind {
        Kind::Rescue => judge::rescue_template(f, now, strongest).to_string(),
        _ => template,
    };
    Some(Action {
        target_at: None,
        basis: (v.kind == Kind::Rescue).then(|| judge::Basis::of(f).text()),
        risk,
        expected_loss: risk.map(|r| td::expected_loss(c.mrr_cents, r)),
        id,
        kind: v.kind,
        cid: c.cid,
        customer_id: c.id.clone(),
        name: c.name.clone(),
        email: c.email.clone(),
        // For a churned customer, the MRR it paid: the MRR lost.
        mrr_cents: c.mrr_cents,
        due_on,
        rank: rank_of(c, f, v.kind, e),
        why: v.reasons.join("; "),
        action: v.action,
        template: Some(template),
        draft: None,
        effect,
        skipped_until: None,
        last_active: f.last_active,
        topic: None,
    })
}

/// An action's id, due day, effect and template, from its kind and step.
fn identity(c: &Customer, kind: Kind, step: Option<&DueStep>, now: i64) -> (String, Day, Effect, String) {
    match (kind, step) {
        (Kind::Onboarding | Kind::Winback, Some(d)) => (
            td::step_id(d.sequence, &c.id, d.step.day),
            d.start_day + d.step.day,
            Effect::Step { sequence: d.sequence, started_on: d.start_day, day: d.step.day },
            step_name(d.sequence, d.step.day),
        ),
        (Kind::Expand, _) => (td::expand_id(&c.id), Day::of(now), Effect::Touch, "expand".into()),
        _ => (td::rescue_id(&c.id), Day::of(now), Effect::Touch, "rescue".into()),
    }
}

fn step(seq: &sequence::Sequence, d: &SeqStep) -> Option<Box<DueStep>> {
    Some(Box::new(DueStep { sequence: seq.name, step: d.step, start_day: d.started_on }))
}

/// The morning's actions as of `now`.
pub fn morning(conn: &Connection, settings: &Settings, now: i64) -> Result<Morning> {
    let feats = Features::load(conn, settings, now)?;
    // The warning signs read on a side connection — their scan of the usage
    // rows also folds health's 28-day windows — while this one reads the
    // rest of health, the steps, touches, tickets and skips (two scans at once).
    std::thread::scope(|scope| {
        let feats = &feats;
        let side = readers::beside(scope, conn, move |c| {
            let (at_risk, windows, declining) = churn::risk_facts_and_windows(c, now, feats)?;
            // The expand guards' unhappy customers, read on the same side connection.
            let unhappy = hstore::unhappy_since(c, (time::Day::of(now) - 89).start(), now)?;
            anyhow::Ok((at_risk, windows, declining, unhappy))
        });
        morning_with(conn, settings, now, feats, side)
    })
}

type SideReads = (Vec<AtRisk>, Vec<Window>, Vec<i64>, std::collections::HashSet<i64>);

fn morning_with(
    conn: &Connection,
    settings: &Settings,
    now: i64,
    feats: &Features,
    side: readers::Side<'_, '_, SideReads>,
) -> Result<Morning> {
    let people: Vec<Customer> = customers::list(conn)?;
    let by_id: HashMap<&str, usize> = people.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let by_cid: HashMap<i64, usize> = people.iter().enumerate().map(|(i, c)| (c.cid, i)).collect();
    let grace = i64::from(settings.count("health.grace_days"));
    let mut facts: Vec<Facts> = people
        .iter()
        .map(|c| Facts {
            churned_at: c.churned_at,
            signed_up_at: c.signed_up_at,
            new: crate::domain::health::is_new(c.signed_up_at, now, grace),
            ..Facts::default()
        })
        .collect();
    // Everything that does not need the warning signs is read while the
    // side connection reads them.
    let subjects = hstore::subjects(conn, feats, now, None, false)?;
    for d in sequences::due_onboarding(conn, now)? {
        if let Some(&i) = by_cid.get(&d.cid) {
            facts[i].onboarding = step(&ONBOARDING, &d);
        }
    }
    // Only a churned customer is won back; a paying one who went quiet is rescued.
    for d in sequences::due_winback_churned(conn, now)? {
        if let Some(&i) = by_cid.get(&d.cid).filter(|&&i| people[i].is_churned(now)) {
            facts[i].winback = step(&WINBACK, &d);
        }
    }
    for (cid, t) in touches::last_touch(conn, now)? {
        if let Some(&i) = by_cid.get(&cid) {
            facts[i].last_touch = Some(t);
        }
    }
    for (cid, t) in touches::last_action(conn, "expand", now)? {
        if let Some(&i) = by_cid.get(&cid) {
            facts[i].last_expand = Some(t);
        }
    }
    for (cid, (t, basis)) in touches::last_rescue(conn, now)? {
        if let Some(&i) = by_cid.get(&cid) {
            let f = &mut facts[i];
            f.last_rescue = Some(t);
            f.rescue_basis = basis.as_deref().map(judge::Basis::parse);
            // Few customers had a rescue done in the last 30 days: a seek each.
            if judge::within_days(Some(t), judge::RESCUE_HELD_DAYS, now) {
                f.news_since_rescue = touches::news_since(conn, cid, t, now)?;
            }
        }
    }
    // The score a week ago, by person (one byte each: 0–100, 255 for none).
    let mut week_ago = vec![u8::MAX; people.len()];
    for (cid, score) in hstore::scores_on_latest_day_before(conn, &(time::Day::of(now) - 7).iso())? {
        if let Some(&i) = by_cid.get(&cid) {
            week_ago[i] = score.clamp(0, 100) as u8;
        }
    }
    let tickets = ticket_actions(conn, settings, now, &people, &by_id)?;
    let hidden = skips::active(conn, now)?;

    let (at_risk, windows, declining, unhappy) = side.join()?;
    for cid in unhappy {
        if let Some(&i) = by_cid.get(&cid) {
            facts[i].unhappy_90d = true;
        }
    }

    // The failed payments, from the billing records health read.
    let failed: HashMap<i64, i64> = subjects
        .iter()
        .filter(|s| s.facts.payment == Some(Payment::Failed))
        .filter_map(|s| Some((s.cid, s.payment_on?)))
        .collect();
    let who = |cid: i64| by_cid.get(&cid).map(|&i| (people[i].id.clone(), people[i].name.clone()));
    let mut risks = churn::risks_with_payments(at_risk, &failed, who);
    let evidence = crate::app::evidence::latest(conn, now)?;
    if let Some(e) = &evidence {
        churn::judge(&mut risks, &e.evidence);
    }
    health::score_each(settings, now, feats, subjects, &windows, |r| {
        if let Some(&i) = by_cid.get(&r.cid) {
            let f = &mut facts[i];
            f.score = Some(r.score);
            f.change_7d =
                Some(week_ago[i]).filter(|b| *b != u8::MAX).map(|before| r.score - i64::from(before));
            f.declining = declining.binary_search(&r.cid).is_ok();
            f.last_active = r.facts.last_event;
            f.active_blocks = r.facts.active_blocks.iter().filter(|b| **b).count();
        }
    });
    for r in risks {
        if let Some(&i) = by_id.get(r.customer_id.as_str()) {
            facts[i].parts.extend(r.parts.iter().copied());
            facts[i].signs.push(Sign {
                signal: r.risk.signal,
                detail: r.risk.detail,
                response: r.risk.response,
                predictive: !r.evidence.is_some_and(|e| e.not_predictive),
            });
        }
    }

    let mut all: Vec<Entry> = Vec::new();
    let seen = facts.iter().filter_map(|f| f.last_active).max();
    if let Some(a) = stale_data(conn, settings, now, seen)? {
        all.push(Entry::Ready(Box::new(a)));
    }
    all.extend(stale_sources(conn, settings, now)?.into_iter().map(|a| Entry::Ready(Box::new(a))));
    all.extend(tickets.into_iter().map(|a| Entry::Ready(Box::new(a))));
    for (i, (c, f)) in people.iter().zip(&facts).enumerate() {
        let Some(kind) = judge::decide(f, now) else { continue };
        let (id, ..) = identity(c, kind, judge::step_of(f, kind), now);
        all.push(Entry::Judged { person: i, kind, id, rank: rank_of(c, f, kind, evidence.as_ref()) });
    }
    drop(by_id);
    fn key<'a>(people: &'a [Customer], e: &'a Entry) -> (Kind, (i64, i64), &'a str, &'a str) {
        let (kind, rank, customer) = match e {
            Entry::Ready(a) => (a.kind, a.rank, a.customer_id.as_str()),
            Entry::Judged { person, kind, rank, .. } => (*kind, *rank, people[*person].id.as_str()),
        };
        (kind, rank, customer, Morning::id_of(e))
    }
    all.sort_unstable_by(|a, b| key(&people, a).cmp(&key(&people, b)));
    let mut due = Vec::new();
    let mut skipped = Vec::new();
    for e in all {
        let (kind, cid, customer) = match &e {
            Entry::Ready(a) => (a.kind, (a.cid != 0).then_some(a.cid), a.customer_id.as_str()),
            Entry::Judged { person, kind, .. } => {
                (*kind, Some(people[*person].cid), people[*person].id.as_str())
            }
        };
        let id = Morning::id_of(&e);
        // A ticket skipped past its first-response target is back (the skip said when).
        let ticket_due = match &e {
            Entry::Ready(a) => a.kind == Kind::Ticket && a.target_at.is_some_and(|t| t <= now),
            _ => false,
        };
        match hidden
            .get(cid, || td::slot(kind, id, customer), id)
            .filter(|_| kind != Kind::Data && !ticket_due)
        {
            Some(until) => skipped.push((e, until)),
            None => due.push(e),
        }
    }
    Ok(Morning { people, facts, now, evidence, due, skipped })
}

/// The slot a skip of `a` is kept under (see `domain::today::slot`).
pub fn slot_of(a: &Action) -> String {
    td::slot(a.kind, &a.id, &a.customer_id)
}

mod drafting;
pub use drafting::{default_subject, fill_drafts, DraftMaker};
mod extra;
mod rank;

use extra::{stale_data, stale_sources, ticket_actions};
pub use extra::{stale_warning, stale_warning_after};
use rank::rank_of;

#[cfg(test)]
mod tests;
