//! Customers as shown: the book, and one customer's profile as text or JSON.

use serde_json::json;

use crate::app::customers::{Listed, Shown};
use crate::domain::health::Band;
use crate::render::health::{band_tone, live_json, live_text};
use crate::render::{self, Cell, Rows, Tone, Value};
use crate::store::customers::Customer;
use crate::time;

/// `customer list`: one row per customer with stage, goal and latest score.
pub fn list_rows(all: &[Listed], now: i64) -> Rows {
    list_head().filled(all.iter().map(|l| list_row(l, now)))
}

/// The columns of [`list_rows`].
pub fn list_head() -> Rows {
    Rows::new(&[
        "customer_id",
        "name",
        "email",
        "plan",
        "mrr",
        "stage",
        "goal",
        "health",
        "status",
        "signed_up_at",
        "churned_at",
    ])
    .drop_order(&["churned_at", "signed_up_at", "email", "goal", "plan", "stage", "health"])
}

/// One row of [`list_rows`].
pub fn list_row(l: &Listed, now: i64) -> Vec<Cell> {
    let c = &l.customer;
    let tone = l.score.as_ref().map_or(Tone::Plain, |(s, _)| band_tone(Band::of(*s)));
    vec![
        c.id.clone().into(),
        c.name.clone().into(),
        c.email.clone().into(),
        c.plan.clone().into(),
        Value::opt_money(c.mrr_cents).into(),
        l.stage.name().into(),
        l.stage.goal().into(),
        Cell::from(Value::opt_int(l.score.as_ref().map(|s| s.0))).tone(tone),
        Cell::from(Value::opt_text(l.score.as_ref().map(|s| s.1.name().to_string()))).tone(tone),
        Value::opt_time(c.signed_up_at).into(),
        Value::opt_time(c.churned_at.filter(|t| *t <= now)).into(),
    ]
}

fn profile_json(c: &Customer, now: i64) -> serde_json::Value {
    json!({
        "customer_id": c.id,
        "name": c.name,
        "email": c.email,
        "plan": c.plan,
        "mrr": c.mrr_cents.map(render::money_json),
        "signed_up_at": c.signed_up_at.map(time::rfc3339),
        "churned_at": c.churned_at.filter(|t| *t <= now).map(time::rfc3339),
    })
}

/// `customer show -f json`.
pub fn show_json(s: &Shown, now: i64) -> serde_json::Value {
    let (c, live, p) = (&s.customer, &s.live, &s.profile);
    let mut j = profile_json(c, now);
    if let Some(o) = j.as_object_mut() {
        o.insert("stage".into(), json!(live.stage.name()));
        o.insert("goal".into(), json!(live.stage.goal()));
        let mut health = live_json(live);
        if let Some((was, _)) = s.churned {
            // A churned customer pays nothing and has no band to act on.
            o.insert("mrr".into(), render::money_json(render::value::Cents::ZERO));
            o.insert("mrr_before_churn".into(), render::money_json(was));
            if let Some(h) = health.as_object_mut() {
                h.insert("status".into(), serde_json::Value::Null);
                h.insert("action".into(), serde_json::Value::Null);
            }
        } else {
            o.insert("mrr_before_churn".into(), serde_json::Value::Null);
        }
        o.insert("health".into(), health);
        o.insert(
            "open_tickets".into(),
            json!(p.open_tickets.iter().map(|t| json!({
            "id": t.id, "subject": t.subject, "status": t.status, "created_at": time::rfc3339(t.created_at),
        })).collect::<Vec<_>>()),
        );
        o.insert(
            "latest_nps".into(),
            p.latest_nps.as_ref().map_or(serde_json::Value::Null, |(t, sc, cm)| {
                json!({
                    "score": sc, "responded_at": time::rfc3339(*t), "comment": cm,
                })
            }),
        );
        o.insert(
            "billing".into(),
            p.latest_billing.as_ref().map_or(serde_json::Value::Null, |(t, st, a)| {
                json!({
                    "status": st, "date": time::rfc3339(*t), "amount": render::money_json(*a),
                })
            }),
        );
        o.insert("last_event_at".into(), json!(live.facts.last_event.map(time::rfc3339)));
        o.insert("events_30d".into(), json!(p.events_30d));
        o.insert(
            "touches".into(),
            json!(s
                .touches
                .iter()
                .map(
                    |t| json!({"at": time::rfc3339(t.ts), "kind": t.kind, "action": t.action, "note": t.note})
                )
                .collect::<Vec<_>>()),
        );
        o.insert(
            "recent_activity".into(),
            json!(p
                .recent
                .iter()
                .map(|(t, e, n)| json!({
                    "at": time::rfc3339(*t), "event": e, "count": n,
                }))
                .collect::<Vec<_>>()),
        );
    }
    j
}

/// `customer show`: the facts, the health breakdown, open tickets, touches, recent activity.
pub fn show_text(s: &Shown, now: i64, color: bool) -> String {
    let (c, live, p) = (&s.customer, &s.live, &s.profile);
    let mut out = String::new();
    let v = |s: &str| render::visible(s).into_owned(); // data, shown safely
    out.push_str(&v(&format!("{} ({})\n", c.label(), c.id)));
    let mut facts = Vec::new();
    facts.push(("Email", c.email.as_deref().map_or("-".into(), v)));
    facts.push(("Plan", c.plan.as_deref().map_or("-".into(), v)));
    facts.push((
        "MRR",
        match s.churned {
            Some((was, t)) => format!(
                "{} (was {} until {})",
                render::money_shown(render::value::Cents::ZERO),
                render::money_shown(was),
                time::iso_date(t)
            ),
            None => c.mrr_cents.map_or("-".into(), render::money_shown),
        },
    ));
    facts.push((
        "Signed up",
        c.signed_up_at
            .map_or("unknown".into(), |t| format!("{} ({})", time::iso_date(t), time::relative(t, now))),
    ));
    if let Some(t) = c.churned_at.filter(|t| *t <= now) {
        facts.push(("Churned", format!("{} ({})", time::iso_date(t), time::relative(t, now))));
    }
    facts.push(("Stage", format!("{} — goal: {}", live.stage.name(), live.stage.goal())));
    let tone = band_tone(live.band);
    facts.push((
        "Health",
        if s.churned.is_some() {
            "- (churned customers are not scored)".into()
        } else {
            format!(
                "{} {} — {}",
                tone.paint(&live.score.to_string(), color),
                tone.paint(live.band.name(), color),
                live.band.action()
            )
        },
    ));
    facts.push((
        "Latest NPS",
        p.latest_nps
            .as_ref()
            .map_or("none".into(), |(t, sc, _)| format!("{sc} ({})", time::relative(*t, now))),
    ));
    facts.push((
        "Billing",
        p.latest_billing.as_ref().map_or("no records".into(), |(t, st, a)| {
            format!("{} {} on {}", v(st), render::money(*a), time::iso_date(*t))
        }),
    ));
    facts.push((
        "Activity",
        format!(
            "{} in 30 days; last {}",
            render::count(p.events_30d, "event"),
            live.facts.last_event.map_or("never".into(), |t| time::relative(t, now))
        ),
    ));
    for (k, val) in facts {
        out.push_str(&format!("  {k:<11} {val}\n"));
    }
    if s.churned.is_none() {
        out.push('\n');
        out.push_str(&live_text(live, color));
    }
    if !p.open_tickets.is_empty() {
        let mut t = render::new_table(color);
        t.set_header(["Open ticket", "Subject", "Status", "Opened"]);
        for tk in &p.open_tickets {
            t.add_row([
                v(&tk.id),
                v(tk.subject.as_deref().unwrap_or_default()),
                v(&tk.status),
                time::relative(tk.created_at, now),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !s.touches.is_empty() {
        let mut t = render::new_table(color);
        t.set_header(["Touch", "When", "Action", "Note"]);
        for tc in s.touches.iter().take(10) {
            t.add_row([
                v(&tc.kind),
                format!("{} ({})", time::short(tc.ts), time::relative(tc.ts, now)),
                tc.action.as_deref().map_or("-".into(), v),
                v(tc.note.as_deref().unwrap_or_default()),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !p.recent.is_empty() {
        out.push_str("Recent activity: ");
        let items: Vec<String> =
            p.recent.iter().map(|(t, e, _)| format!("{} {}", v(e), time::relative(*t, now))).collect();
        out.push_str(&items.join(", "));
        out.push('\n');
    }
    out
}

/// What `customer edit` says it did: the MRR recorded from its day (or that
/// it was already so then), and for a churned customer that a new MRR or
/// plan takes effect only on return.
pub fn edit_said(
    c: &Customer,
    mrr: Option<render::value::Cents>,
    recorded: bool,
    at: i64,
    plan: bool,
    now: i64,
) -> String {
    let day = time::iso_date(at);
    let mut said = match mrr {
        Some(m) if recorded => {
            format!("Updated customer {}: MRR {} from {day}", c.id, render::value::money_shown(m))
        }
        Some(m) => format!(
            "Updated customer {}: the MRR was already {} on {day}; no MRR change recorded",
            c.id,
            render::value::money_shown(m)
        ),
        None => format!("Updated customer {}", c.id),
    };
    let what = match (mrr.is_some(), plan) {
        (true, true) => Some("MRR and plan take"),
        (true, false) => Some("MRR takes"),
        (false, true) => Some("plan takes"),
        (false, false) => None,
    };
    if let Some(what) = what.filter(|_| c.is_churned(now)) {
        said.push_str(&format!(
            "; {} churned on {}: the new {what} effect only when it returns",
            c.id,
            time::iso_date(c.churned_at.unwrap_or(now))
        ));
    }
    said
}

/// The customers whose negative MRR (from an older csf) an upgrade set to 0:
/// `acme (-$5.00), beta (-$1.00)`.
fn flagged_list(flagged: &[(String, crate::money::Cents)]) -> String {
    let each = flagged.iter().map(|(id, c)| format!("{} ({})", render::visible(id), render::money_shown(*c)));
    each.collect::<Vec<_>>().join(", ")
}

/// The upgrade's warning, once, on stderr.
pub fn flagged_on_upgrade(db: &str, flagged: &[(String, crate::money::Cents)]) -> String {
    format!(
        "warning: upgrading {db}: {} had a negative MRR, which an older csf allowed: {}; it is now 0 in \
         every report — set the right one with `csf customer edit ID --mrr AMOUNT` (`csf check` names \
         them until then)",
        render::count(flagged.len() as i64, "customer"),
        flagged_list(flagged)
    )
}

/// `csf check`'s warning: the customers still flagged.
pub fn flagged_by_check(flagged: &[(String, crate::money::Cents)]) -> String {
    format!(
        "warning: {} had a negative MRR from an older csf, now treated as 0: {} — set the right MRR \
         with `csf customer edit ID --mrr AMOUNT`",
        render::count(flagged.len() as i64, "customer"),
        flagged_list(flagged)
    )
}
