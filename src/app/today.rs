//! The morning's actions (docs/today.md) gathered from what csf already
//! knows — unanswered tickets, live health with its warning signs, win-back
//! and onboarding steps — with drafts, and what doing them records.

use std::collections::HashMap;

use anyhow::{bail, Result};
use rusqlite::Connection;

use crate::app::drafts::Drafts;
use crate::app::{churn, health, onboarding, tickets};
use crate::domain::health::Band;
use crate::domain::settings::Settings;
use crate::domain::templates::step_name;
use crate::domain::tickets as dt;
use crate::domain::today::{self as td, Action, Draft, Effect, Kind};
use crate::store::churn as cs;
use crate::store::touches::{self, NewTouch};
use crate::store::{self, customers, tickets as st};
use crate::time::{self, date_of_day, iso_date, DAY};

/// Every action due as of now, most urgent first, with drafts.
pub fn actions(conn: &Connection, settings: &Settings, now: i64) -> Result<Vec<Action>> {
    let people: HashMap<i64, customers::Customer> =
        customers::list(conn)?.into_iter().map(|c| (c.cid, c)).collect();
    let by_id: HashMap<&str, i64> = people.values().map(|c| (c.id.as_str(), c.cid)).collect();
    let drafts = Drafts::new(conn, settings, now)?;
    let mut out = Vec::new();
    let contact = |cid: i64| people.get(&cid);

    // 1. Tickets without a reply: past their target first.
    for t in st::list_unanswered(conn, now)? {
        let Some(&cid) = by_id.get(t.customer_id.as_str()) else { continue };
        let target = tickets::target_at(&t, settings);
        let overdue = dt::overdue(target, t.first_response_at, t.resolved_at, now);
        let channel = t.channel.as_deref().unwrap_or("no channel");
        let subject = t.subject.clone().unwrap_or_else(|| format!("ticket {}", t.id));
        let waited = time::duration(now - t.created_at);
        let why = match target {
            Some(at) if overdue => format!(
                "{channel} ticket \"{subject}\" unanswered for {waited}, {} past its first-response target",
                time::duration(now - at)
            ),
            Some(at) => format!(
                "{channel} ticket \"{subject}\" unanswered for {waited}, {} left to its first-response target",
                time::duration(at - now)
            ),
            None => format!("{channel} ticket \"{subject}\" unanswered for {waited}"),
        };
        let mut values = drafts.values_for(contact(cid));
        values.insert("customer".into(), t.customer_name.clone().unwrap_or_else(|| t.customer_id.clone()));
        values.insert("issue".into(), subject.clone());
        values.insert("timeframe".into(), drafts.timeframe.clone());
        let c = contact(cid);
        out.push(Action {
            id: td::ticket_id(&t.id),
            kind: Kind::Ticket,
            cid,
            customer_id: t.customer_id.clone(),
            name: t.customer_name.clone(),
            email: c.and_then(|c| c.email.clone()),
            due_on: iso_date(target.filter(|_| overdue).unwrap_or(t.created_at)),
            // Overdue first (most overdue first), then by target, then by age.
            urgency: if overdue {
                target.unwrap_or(0) - now - 10 * 365 * DAY
            } else {
                target.unwrap_or(now + t.created_at)
            },
            why,
            action: "Reply with the acknowledgment below; done records it as the ticket's first reply".into(),
            draft: Some(drafts.fill(conn, "ack", &values)?),
            effect: Effect::Reply { tid: t.tid, ticket_id: t.id.clone() },
        });
    }

    // 2. Rescue: at-risk and critical, untouched for 7 days, with their warning signs.
    let last_touch = touches::last_touch(conn, now)?;
    let last_expand = touches::last_action(conn, "expand", now)?;
    // Live, as of now: the same scores `health score` would store today.
    let live = health::live_all(conn, settings, now)?;
    let mut signs: HashMap<String, Vec<(String, String, String)>> = HashMap::new();
    for r in churn::risks(conn, now, &[])? {
        signs.entry(r.customer_id).or_default().push((
            r.risk.signal.to_string(),
            r.risk.detail,
            r.risk.response.to_string(),
        ));
    }
    for snap in &live {
        let score = snap.score;
        let band = Band::of(score);
        let Some(c) = contact(snap.cid) else { continue };
        let base = |kind: Kind, id: String, why: String, action: String, draft: Option<Draft>| Action {
            id,
            kind,
            cid: snap.cid,
            customer_id: c.id.clone(),
            name: c.name.clone(),
            email: c.email.clone(),
            due_on: snap.day.clone(),
            urgency: if kind == Kind::Expand { -score } else { score },
            why,
            action,
            draft,
            effect: Effect::Touch,
        };
        if td::rescue_due(score, last_touch.get(&snap.cid).copied(), now) {
            let mut why = format!("{} (health {score})", band.name());
            let mut responses = vec![band.action().to_string()];
            for (signal, detail, response) in signs.get(&c.id).into_iter().flatten() {
                why.push_str(&format!("; {signal}: {detail}"));
                if !responses.contains(response) {
                    responses.push(response.clone());
                }
            }
            let draft = drafts.fill(conn, "rescue", &drafts.values_for(Some(c)))?;
            out.push(base(Kind::Rescue, td::rescue_id(&c.id), why, responses.join("; "), Some(draft)));
        } else if td::expand_due(
            score,
            last_touch.get(&snap.cid).copied(),
            last_expand.get(&snap.cid).copied(),
            now,
        ) {
            let why = format!("healthy (health {score}); no touch in the last 30 days");
            let draft = drafts.fill(conn, "expand", &drafts.values_for(Some(c)))?;
            out.push(base(Kind::Expand, td::expand_id(&c.id), why, band.action().to_string(), Some(draft)));
        }
    }

    // 3–4. Sequence steps: win-back, then onboarding.
    let churned: HashMap<i64, i64> =
        people.values().filter_map(|c| c.churned_at.filter(|t| *t <= now).map(|t| (c.cid, t))).collect();
    let steps = churn::due_winback(conn, now, None)?
        .into_iter()
        .map(|d| (Kind::Winback, d))
        .chain(onboarding::due(conn, now)?.into_iter().map(|d| (Kind::Onboarding, d)));
    for (kind, d) in steps {
        let sequence = if kind == Kind::Winback { "winback" } else { "onboarding" };
        let start_day = chrono::NaiveDate::parse_from_str(&d.started_on, "%Y-%m-%d")
            .map(time::day_of_date)
            .unwrap_or(time::day_number(now) - d.step.day);
        let day_n = time::day_number(now) - start_day;
        let why = match kind {
            Kind::Winback if churned.contains_key(&d.cid) => {
                format!("churned on {} (win-back day {day_n})", d.started_on)
            }
            Kind::Winback => format!("no usage for 30 days: win-back started {} (day {day_n})", d.started_on),
            _ => format!("signed up on {} (onboarding day {day_n})", d.started_on),
        };
        let c = contact(d.cid);
        let draft = drafts.fill(conn, &step_name(sequence, d.step.day), &drafts.values_for(c))?;
        out.push(Action {
            id: td::step_id(sequence, &d.id, d.step.day),
            kind,
            cid: d.cid,
            customer_id: d.id.clone(),
            name: d.name.clone(),
            email: c.and_then(|c| c.email.clone()),
            due_on: date_of_day(start_day + d.step.day).to_string(),
            urgency: start_day + d.step.day,
            why,
            action: format!("{} (day {}): {}", d.step.name, d.step.day, d.step.message),
            draft: Some(draft),
            effect: Effect::Step { sequence, started_on: d.started_on.clone(), day: d.step.day },
        });
    }
    td::sort(&mut out);
    Ok(out)
}

/// Records the actions `ids` as done, in one transaction that first checks
/// each is still due (so two `csf done` of one id record it once): a ticket
/// gets its draft as the first reply, a step is marked done, every action
/// logs a touch. Returns the actions recorded.
pub fn done(
    conn: &mut Connection,
    settings: &Settings,
    now: i64,
    ids: &[String],
    note: Option<&str>,
) -> Result<Vec<Action>> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    store::write(conn, |tx| {
        let all = actions(tx, settings, now)?;
        let mut chosen: Vec<Action> = Vec::new();
        let mut bad: Vec<String> = Vec::new();
        for id in ids {
            match all.iter().find(|a| a.id == id.trim()) {
                Some(a) if !chosen.iter().any(|c| c.id == a.id) => chosen.push(a.clone()),
                Some(_) => {}
                None => bad.push(format!("\"{id}\"")),
            }
        }
        if !bad.is_empty() {
            bail!(
                "{} {} not due today (unknown, or already done); nothing was stored — `csf today` lists the ids that are",
                if bad.len() == 1 { "id" } else { "ids" },
                bad.join(", ")
            );
        }
        for a in &chosen {
            if let (Effect::Reply { .. }, Some(d)) = (&a.effect, &a.draft) {
                if !d.missing.is_empty() {
                    bail!(
                        "{}: the reply draft has holes ({}); nothing was stored — fill them (`csf template set {}`) or reply with `csf ticket reply`",
                        a.id,
                        d.missing.iter().map(|m| format!("{{{m}}}")).collect::<Vec<_>>().join(", "),
                        d.template
                    );
                }
            }
        }
        for a in &chosen {
            match &a.effect {
                Effect::Reply { tid, .. } => {
                    let text = a.draft.as_ref().map(|d| d.text.clone()).unwrap_or_default();
                    st::reply(tx, *tid, now, &text)?;
                }
                Effect::Step { sequence, started_on, day } => {
                    cs::mark_done(tx, a.cid, sequence, started_on, *day, now)?;
                }
                Effect::Touch => {}
            }
            touches::insert(
                tx,
                &NewTouch {
                    cid: a.cid,
                    kind: a.kind.touch_kind(),
                    action: Some(&a.id),
                    action_kind: Some(a.kind.name()),
                    note,
                },
                now,
            )?;
        }
        Ok(chosen)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> (Connection, Settings, i64) {
        let now = time::parse_now("2026-11-20T12:00:00Z").unwrap();
        let mut conn = store::open_memory().unwrap();
        crate::example::load(&mut conn, now).unwrap();
        let settings = Settings::from_stored(store::config::all(&conn).unwrap());
        (conn, settings, now)
    }

    /// Actions come sorted by kind, a done action is gone the same day, a
    /// second done of it is refused, and an unknown id stores nothing.
    #[test]
    fn done_records_once_and_refuses_what_is_not_due() {
        let (mut conn, settings, now) = example();
        let all = actions(&conn, &settings, now).unwrap();
        assert!(all.windows(2).all(|w| w[0].kind <= w[1].kind), "most urgent kind first");
        let first = all[0].id.clone();
        let touches_before: i64 = conn.query_row("SELECT count(*) FROM touches", [], |r| r.get(0)).unwrap();
        let e = done(&mut conn, &settings, now, &[first.clone(), "nope".into()], None).unwrap_err();
        assert!(e.to_string().contains("\"nope\""), "{e}");
        let after: i64 = conn.query_row("SELECT count(*) FROM touches", [], |r| r.get(0)).unwrap();
        assert_eq!(after, touches_before, "nothing stored on a refusal");
        let recorded = done(&mut conn, &settings, now, std::slice::from_ref(&first), Some("sent")).unwrap();
        assert_eq!(recorded.len(), 1);
        assert!(done(&mut conn, &settings, now, std::slice::from_ref(&first), None).is_err());
        assert!(!actions(&conn, &settings, now).unwrap().iter().any(|a| a.id == first));
    }
}
