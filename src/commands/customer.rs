//! `csf customer add | list | show | edit | remove` (SPEC §4).

use std::collections::HashMap;

use anyhow::{anyhow, bail, Result};
use rusqlite::Connection;
use serde_json::json;

use crate::cli::customer::{CustomerCmd, CustomerFields};
use crate::commands::health as health_cmd;
use crate::context::Ctx;
use crate::domain::health::{self, Band, Stage};
use crate::import::values::parse_money;
use crate::render::{self, Cell, Format, Rows, Tone, Value};
use crate::store::customers::{self, Customer, NewCustomer};
use crate::store::health as hstore;
use crate::store::{self, profile};
use crate::time;

pub fn run(ctx: &Ctx, cmd: CustomerCmd) -> Result<()> {
    let mut conn = if matches!(cmd, CustomerCmd::Add { .. }) { ctx.open_or_create()? } else { ctx.open()? };
    match cmd {
        CustomerCmd::Add { id, fields } => add(ctx, &mut conn, id, fields),
        CustomerCmd::List { stage } => list(ctx, &conn, stage.as_deref()),
        CustomerCmd::Show { customer } => show(ctx, &conn, &customer),
        CustomerCmd::Edit { customer, id, fields } => edit(ctx, &mut conn, &customer, id, fields),
        CustomerCmd::Remove { customer, force } => remove(ctx, &mut conn, &customer, force),
    }
}

fn opt_time(flag: &str, v: &str) -> Result<Option<i64>> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    time::parse_timestamp(v).map(Some).map_err(|e| anyhow!("--{flag} \"{v}\" {e}"))
}

fn opt_money(v: &str) -> Result<Option<i64>> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    parse_money(v).map(Some).map_err(|e| anyhow!("--mrr \"{v}\" {e}"))
}

fn opt_str(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn validate_id(id: &str) -> Result<String> {
    let t = id.trim();
    if t.is_empty() {
        bail!("a customer id cannot be empty");
    }
    Ok(t.to_string())
}

fn add(ctx: &Ctx, conn: &mut Connection, id: String, f: CustomerFields) -> Result<()> {
    let id = validate_id(&id)?;
    let c = NewCustomer {
        id: id.clone(),
        name: f.name.and_then(opt_str),
        email: f.email.and_then(opt_str),
        plan: f.plan.and_then(opt_str),
        mrr_cents: f.mrr.as_deref().map(opt_money).transpose()?.flatten(),
        signed_up_at: match f.signed_up.as_deref() {
            Some(s) => opt_time("signed-up", s)?,
            None => Some(ctx.now),
        },
        churned_at: f.churned.as_deref().map(|s| opt_time("churned", s)).transpose()?.flatten(),
    };
    store::write(conn, |tx| {
        if customers::find(tx, &id)?.is_some_and(|c| c.id == id) {
            bail!("customer \"{id}\" already exists; use `csf customer edit {id} ...` to change it");
        }
        customers::insert(tx, &c, ctx.now)
    })?;
    ctx.info(format!("Added customer {id}"));
    Ok(())
}

fn edit(
    ctx: &Ctx,
    conn: &mut Connection,
    key: &str,
    new_id: Option<String>,
    f: CustomerFields,
) -> Result<()> {
    store::write(conn, |tx| {
        let mut c = customers::get(tx, key)?;
        if let Some(id) = new_id {
            let id = validate_id(&id)?;
            if id != c.id && customers::find(tx, &id)?.is_some_and(|o| o.id == id) {
                bail!("customer \"{id}\" already exists; choose another id");
            }
            c.id = id;
        }
        if let Some(v) = f.name {
            c.name = opt_str(v);
        }
        if let Some(v) = f.email {
            c.email = opt_str(v);
        }
        if let Some(v) = f.plan {
            c.plan = opt_str(v);
        }
        if let Some(v) = f.mrr {
            c.mrr_cents = opt_money(&v)?;
        }
        if let Some(v) = f.signed_up {
            c.signed_up_at = opt_time("signed-up", &v)?;
        }
        if let Some(v) = f.churned {
            c.churned_at = opt_time("churned", &v)?;
        }
        customers::update(tx, &c, ctx.now)?;
        ctx.info(format!("Updated customer {}", c.id));
        Ok(())
    })
}

fn remove(ctx: &Ctx, conn: &mut Connection, key: &str, force: bool) -> Result<()> {
    store::write(conn, |tx| {
        let c = customers::get(tx, key)?;
        let refs = customers::references(tx, c.cid)?;
        if !refs.is_empty() && !force {
            let list: Vec<String> = refs.iter().map(|(what, n)| format!("{n} {what}")).collect();
            bail!(
                "customer \"{}\" still has {}; nothing was removed — pass --force to remove it \
                 with its data",
                c.id,
                list.join(", ")
            );
        }
        customers::delete(tx, c.cid)?;
        ctx.info(format!("Removed customer {}", c.id));
        Ok(())
    })
}

fn list(ctx: &Ctx, conn: &Connection, stage_filter: Option<&str>) -> Result<()> {
    let all = customers::list(conn)?;
    let settings = ctx.settings(conn)?;
    let feats = hstore::Features::load(conn, &settings, ctx.now)?;
    // Facts for the active customers in one set-based pass; the others are
    // churned, or not signed up yet (onboarding).
    let facts: HashMap<i64, health::Facts> =
        hstore::facts(conn, &feats, ctx.now, None, true)?.into_iter().map(|s| (s.cid, s.facts)).collect();
    let scores: HashMap<i64, (i64, String)> = hstore::latest(conn, ctx.now)?
        .into_iter()
        .map(|l| (l.snap.cid, (l.snap.score, l.snap.status)))
        .collect();
    let mut rows = Rows::new(&[
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
    ]);
    for c in &all {
        let stage = stage_of(c, facts.get(&c.cid), ctx.now);
        if stage_filter.is_some_and(|f| f != stage.name()) {
            continue;
        }
        let score = scores.get(&c.cid).filter(|_| stage != Stage::Churned);
        let tone = score.map_or(Tone::Plain, |(s, _)| health_cmd::band_tone(Band::of(*s)));
        rows.push(vec![
            c.id.clone().into(),
            c.name.clone().into(),
            c.email.clone().into(),
            c.plan.clone().into(),
            Value::opt_money(c.mrr_cents).into(),
            stage.name().into(),
            stage.goal().into(),
            Cell::from(Value::opt_int(score.map(|s| s.0))).tone(tone),
            Cell::from(Value::opt_text(score.map(|s| s.1.clone()))).tone(tone),
            Value::opt_time(c.signed_up_at).into(),
            Value::opt_time(c.churned_at.filter(|t| *t <= ctx.now)).into(),
        ]);
    }
    if all.is_empty() {
        ctx.info("No customers yet: `csf import customers FILE` or `csf customer add ID`.");
    }
    ctx.print_rows(&rows)
}

fn stage_of(c: &Customer, facts: Option<&health::Facts>, now: i64) -> Stage {
    match facts {
        _ if c.is_churned(now) => Stage::Churned,
        Some(f) => health::stage(false, f),
        None => Stage::Onboarding,
    }
}

fn show(ctx: &Ctx, conn: &Connection, key: &str) -> Result<()> {
    ctx.only_formats(
        "customer show",
        &[Format::Table, Format::Json],
        " (a profile is nested; `csf customer list -f csv` has one row per customer)",
    )?;
    let c = customers::get(conn, key)?;
    let settings = ctx.settings(conn)?;
    let live = health_cmd::live(conn, &settings, ctx.now, &c)?;
    let p = profile::load(conn, c.cid, ctx.now)?;
    let touches = crate::store::touches::of_customer(conn, c.cid, ctx.now)?;
    let mut j = profile_json(&c, ctx.now);
    if let Some(o) = j.as_object_mut() {
        o.insert("stage".into(), json!(live.stage.name()));
        o.insert("goal".into(), json!(live.stage.goal()));
        o.insert("health".into(), live.json());
        o.insert(
            "open_tickets".into(),
            json!(p.open_tickets.iter().map(|t| json!({
            "id": t.id, "subject": t.subject, "status": t.status, "created_at": time::rfc3339(t.created_at),
        })).collect::<Vec<_>>()),
        );
        o.insert(
            "latest_nps".into(),
            p.latest_nps.as_ref().map_or(serde_json::Value::Null, |(t, s, cm)| {
                json!({
                    "score": s, "responded_at": time::rfc3339(*t), "comment": cm,
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
        o.insert("last_event_at".into(), json!(live.subject.facts.last_event.map(time::rfc3339)));
        o.insert("events_30d".into(), json!(p.events_30d));
        o.insert(
            "touches".into(),
            json!(touches
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
    if ctx.format_or(Format::Table) == Format::Json {
        return render::out(&format!("{}\n", serde_json::to_string_pretty(&j)?));
    }
    let color = ctx.color;
    let mut out = String::new();
    let v = |s: &str| render::visible(s).into_owned(); // data, shown safely
    out.push_str(&v(&format!("{} ({})\n", c.label(), c.id)));
    let mut facts = Vec::new();
    facts.push(("Email", c.email.as_deref().map_or("-".into(), v)));
    facts.push(("Plan", c.plan.as_deref().map_or("-".into(), v)));
    facts.push(("MRR", c.mrr_cents.map_or("-".into(), render::money_shown)));
    facts.push((
        "Signed up",
        c.signed_up_at
            .map_or("unknown".into(), |t| format!("{} ({})", time::iso_date(t), time::relative(t, ctx.now))),
    ));
    if let Some(t) = c.churned_at.filter(|t| *t <= ctx.now) {
        facts.push(("Churned", format!("{} ({})", time::iso_date(t), time::relative(t, ctx.now))));
    }
    facts.push(("Stage", format!("{} — goal: {}", live.stage.name(), live.stage.goal())));
    let tone = health_cmd::band_tone(live.band);
    facts.push((
        "Health",
        format!(
            "{} {} — {}",
            tone.paint(&live.score.to_string(), color),
            tone.paint(live.band.name(), color),
            live.band.action()
        ),
    ));
    facts.push((
        "Latest NPS",
        p.latest_nps
            .as_ref()
            .map_or("none".into(), |(t, s, _)| format!("{s} ({})", time::relative(*t, ctx.now))),
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
            "{} events in 30 days; last {}",
            p.events_30d,
            live.subject.facts.last_event.map_or("never".into(), |t| time::relative(t, ctx.now))
        ),
    ));
    for (k, v) in facts {
        out.push_str(&format!("  {k:<11} {v}\n"));
    }
    out.push('\n');
    out.push_str(&live.text(color));
    if !p.open_tickets.is_empty() {
        let mut t = render::new_table(color);
        t.set_header(["Open ticket", "Subject", "Status", "Opened"]);
        for tk in &p.open_tickets {
            t.add_row([
                v(&tk.id),
                v(tk.subject.as_deref().unwrap_or_default()),
                v(&tk.status),
                time::relative(tk.created_at, ctx.now),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !touches.is_empty() {
        let mut t = render::new_table(color);
        t.set_header(["Touch", "When", "Action", "Note"]);
        for tc in touches.iter().take(10) {
            t.add_row([
                v(&tc.kind),
                format!("{} ({})", time::short(tc.ts), time::relative(tc.ts, ctx.now)),
                tc.action.as_deref().map_or("-".into(), v),
                v(tc.note.as_deref().unwrap_or_default()),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !p.recent.is_empty() {
        out.push_str("Recent activity: ");
        let items: Vec<String> =
            p.recent.iter().map(|(t, e, _)| format!("{} {}", v(e), time::relative(*t, ctx.now))).collect();
        out.push_str(&items.join(", "));
        out.push('\n');
    }
    render::out(&out)
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
