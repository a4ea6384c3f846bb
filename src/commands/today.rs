//! `csf today`, `csf done`, `csf touch` (SPEC §13): the morning's actions
//! gathered from the features that already find them — unanswered tickets,
//! health bands with their warning signs, win-back and onboarding steps —
//! with drafts from the templates, and what doing them records.

use std::collections::{BTreeMap, HashMap};

use anyhow::{bail, Result};
use rusqlite::Connection;

use crate::cli::today::{ActionKind, DoneArgs, TodayArgs, TouchArgs};
use crate::commands::{churn as churn_cmd, onboarding as onb_cmd, template, ticket as ticket_cmd};
use crate::context::{Alert, Ctx};
use crate::domain::health::Band;
use crate::domain::settings::Settings;
use crate::domain::templates::{greeting_name, step_name};
use crate::domain::tickets as dt;
use crate::domain::today::{self as td, Action, Draft, Effect, Kind};
use crate::render::{self, md_escape, Cell, Format, Rows, Value};
use crate::store::churn as cs;
use crate::store::touches::{self, NewTouch};
use crate::store::{self, customers, tickets as st, usage};
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
        let target = ticket_cmd::target_at(&t, settings);
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
    let live = crate::commands::health::compute_all(conn, settings, now)?;
    let mut signs: HashMap<String, Vec<(String, String, String)>> = HashMap::new();
    for (id, _, r) in churn_cmd::risks(conn, now, &[])? {
        signs.entry(id).or_default().push((r.signal.to_string(), r.detail, r.response.to_string()));
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
    let steps = churn_cmd::due_winback(conn, now, None)?
        .into_iter()
        .map(|d| (Kind::Winback, d))
        .chain(onb_cmd::due(conn, now)?.into_iter().map(|d| (Kind::Onboarding, d)));
    for (kind, d) in steps {
        let sequence = if kind == Kind::Winback { "winback" } else { "onboarding" };
        let start_day = chrono::NaiveDate::parse_from_str(&d.started_on, "%Y-%m-%d")
            .map(time::day_of_date)
            .unwrap_or(now.div_euclid(DAY) - d.step.day);
        let day_n = now.div_euclid(DAY) - start_day;
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

/// What drafts say until the settings are set (docs/today.md).
const DEFAULT_PRODUCT: &str = "our product";
const DEFAULT_FOUNDER: &str = "The team";
const DEFAULT_FIRST_STEP: &str = "finish setting up your account";
const DEFAULT_FEATURE: &str = "the feature our customers use most";

/// The settings that make drafts personal, and how to set them.
pub fn unset_draft_settings(settings: &Settings) -> Vec<&'static str> {
    ["product.name", "founder.name", "product.first_step"]
        .into_iter()
        .filter(|k| settings.get(k).is_none())
        .collect()
}

/// The values csf fills drafts with, and the template texts in force.
struct Drafts {
    product: Option<String>,
    founder: Option<String>,
    first_step: Option<String>,
    feature: Option<String>,
    /// For `{timeframe}` in the acknowledgment: the resolution target.
    timeframe: String,
    texts: std::cell::RefCell<HashMap<String, String>>,
}

impl Drafts {
    fn new(conn: &Connection, settings: &Settings, now: i64) -> Result<Drafts> {
        let feature = match settings.get("onboarding.value_event") {
            Some(v) => Some(v),
            None => usage::core_features(conn, settings, now)?.into_iter().next(),
        };
        let hours = settings.number("targets.resolution_hours");
        // Every shipped placeholder has a value: the settings when set, else
        // plain words that read well (`csf today` says which to set).
        Ok(Drafts {
            product: Some(settings.get("product.name").unwrap_or_else(|| DEFAULT_PRODUCT.into())),
            founder: Some(settings.get("founder.name").unwrap_or_else(|| DEFAULT_FOUNDER.into())),
            first_step: Some(settings.get("product.first_step").unwrap_or_else(|| DEFAULT_FIRST_STEP.into())),
            feature: Some(feature.unwrap_or_else(|| DEFAULT_FEATURE.into())),
            timeframe: format!("{} hours", render::figure::number(hours, None, true)),
            texts: Default::default(),
        })
    }

    fn values_for(&self, c: Option<&customers::Customer>) -> BTreeMap<String, String> {
        let mut v = BTreeMap::new();
        let company = c.map_or("", |c| c.label());
        let id = c.map_or("", |c| c.id.as_str());
        let greet = greeting_name(c.and_then(|c| c.email.as_deref()), &format!("{company} {id}"));
        v.insert("name".to_string(), greet);
        if let Some(c) = c {
            v.insert("company".to_string(), c.label().to_string());
        }
        for (k, val) in [
            ("product", &self.product),
            ("founder", &self.founder),
            ("first_step", &self.first_step),
            ("feature", &self.feature),
        ] {
            if let Some(x) = val {
                v.insert(k.to_string(), x.clone());
            }
        }
        v
    }

    fn fill(&self, conn: &Connection, name: &str, values: &BTreeMap<String, String>) -> Result<Draft> {
        let mut texts = self.texts.borrow_mut();
        if !texts.contains_key(name) {
            texts.insert(name.to_string(), template::text(conn, name)?.0);
        }
        Ok(Draft::fill(name, &texts[name], values))
    }
}

fn wanted(kind: Kind, only: &[ActionKind]) -> bool {
    only.is_empty()
        || only.iter().any(|k| {
            matches!(
                (k, kind),
                (ActionKind::Ticket, Kind::Ticket)
                    | (ActionKind::Rescue, Kind::Rescue)
                    | (ActionKind::Winback, Kind::Winback)
                    | (ActionKind::Onboarding, Kind::Onboarding)
                    | (ActionKind::Expand, Kind::Expand)
            )
        })
}

pub fn today(ctx: &Ctx, args: TodayArgs) -> Result<()> {
    let conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    let mut all = actions(&conn, &settings, ctx.now)?;
    all.retain(|a| wanted(a.kind, &args.kind));
    match ctx.format_or(Format::Table) {
        Format::Markdown => render::out(&markdown(&all, ctx.now))?,
        Format::Table => {
            render::out(&format!(
                "Today, {}: {} action{}\n\n",
                iso_date(ctx.now),
                all.len(),
                if all.len() == 1 { "" } else { "s" }
            ))?;
            if !all.is_empty() {
                let mut rows = rows(&all);
                rows.hidden = vec!["customer_id", "email", "draft"];
                ctx.print_rows(&rows)?;
                let mut drafts = String::new();
                for a in &all {
                    if let Some(d) = &a.draft {
                        drafts.push_str(&format!(
                            "\n── {} · draft ({}) ──\n{}\n",
                            render::visible(&a.id),
                            d.template,
                            render::visible(d.shown().trim_end())
                        ));
                    }
                }
                render::out(&drafts)?;
            }
        }
        _ => ctx.print_rows(&rows(&all))?,
    }
    let unset = unset_draft_settings(&settings);
    if !unset.is_empty() && all.iter().any(|a| a.draft.is_some()) {
        ctx.info(format!(
            "Drafts use plain words for {}: `csf config set KEY VALUE` makes them yours.",
            unset.join(", ")
        ));
    }
    if all.is_empty() {
        ctx.info("Nothing due today.");
    } else {
        ctx.info("`csf done ID...` when done; `csf touch CUSTOMER --note TEXT` logs a call or meeting.");
    }
    if args.fail_on.is_some() && !all.is_empty() {
        return Err(Alert(format!(
            "{} action{} due today",
            all.len(),
            if all.len() == 1 { " is" } else { "s are" }
        ))
        .into());
    }
    Ok(())
}

/// JSON/CSV rows: `id, kind, customer_id, name, due_on, why, action, draft, email`.
fn rows(all: &[Action]) -> Rows {
    let mut rows =
        Rows::new(&["id", "kind", "customer_id", "name", "due_on", "why", "action", "draft", "email"]);
    for a in all {
        let who = match (&a.name, &a.email) {
            (Some(n), Some(e)) => format!("{n} <{e}>"),
            (Some(n), None) => n.clone(),
            (None, Some(e)) => format!("{} <{e}>", a.customer_id),
            (None, None) => a.customer_id.clone(),
        };
        rows.push(vec![
            a.id.clone().into(),
            a.kind.name().into(),
            a.customer_id.clone().into(),
            Cell::from(Value::opt_text(a.name.clone())).shown(who),
            Value::Date(a.due_on.clone()).into(),
            a.why.clone().into(),
            a.action.clone().into(),
            Value::opt_text(a.draft.as_ref().map(Draft::shown)).into(),
            Value::opt_text(a.email.clone()).into(),
        ]);
    }
    rows
}

/// The morning as markdown, for a cron mail or a wiki.
fn markdown(all: &[Action], now: i64) -> String {
    let mut o = format!(
        "## Today — {}\n\n{} action{} due, most urgent first. `csf done ID...` when done.\n",
        iso_date(now),
        all.len(),
        if all.len() == 1 { "" } else { "s" }
    );
    for (i, a) in all.iter().enumerate() {
        let who = match &a.email {
            Some(e) => format!("{} <{}>", a.name.as_deref().unwrap_or(&a.customer_id), e),
            None => a.name.clone().unwrap_or(a.customer_id.clone()),
        };
        o.push_str(&format!(
            "\n### {}. {} — {}\n\n- **Id:** `{}`\n- **Customer:** {}\n- **Due since:** {}\n- **Why:** {}\n- **Action:** {}\n",
            i + 1,
            a.kind.name(),
            md_escape(a.name.as_deref().unwrap_or(&a.customer_id)),
            render::visible(&a.id.replace('`', "'")),
            md_escape(&who),
            a.due_on,
            md_escape(&a.why),
            md_escape(&a.action)
        ));
        if let Some(d) = &a.draft {
            let shown = d.shown();
            let text = render::visible(&shown);
            // A fence longer than any run of backticks in the draft.
            let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            o.push_str(&format!("\n{fence}text\n{}\n{fence}\n", text.trim_end()));
        }
    }
    o
}

pub fn done(ctx: &Ctx, args: DoneArgs) -> Result<()> {
    let mut conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    let all = actions(&conn, &settings, ctx.now)?;
    let mut chosen: Vec<&Action> = Vec::new();
    let mut bad: Vec<String> = Vec::new();
    for id in &args.ids {
        match all.iter().find(|a| a.id == id.trim()) {
            Some(a) if !chosen.iter().any(|c| c.id == a.id) => chosen.push(a),
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
    let now = ctx.now;
    let note = args.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    store::write(&mut conn, |tx| {
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
        Ok(())
    })?;
    for a in &chosen {
        let what = match &a.effect {
            Effect::Reply { ticket_id, .. } => format!("reply recorded on ticket {ticket_id}"),
            Effect::Step { sequence, day, .. } => format!("{sequence} day {day} marked done"),
            Effect::Touch => "touch logged".to_string(),
        };
        ctx.info(format!("Done: {} — {what}", a.id));
    }
    Ok(())
}

pub fn touch(ctx: &Ctx, args: TouchArgs) -> Result<()> {
    let mut conn = ctx.open()?;
    let note = args.note.trim();
    if note.is_empty() {
        bail!("the note is empty; say what happened, e.g. --note 'call: wants SSO'");
    }
    let c = customers::get(&conn, &args.customer)?;
    store::write(&mut conn, |tx| {
        touches::insert(
            tx,
            &NewTouch {
                cid: c.cid,
                kind: args.kind.name(),
                action: None,
                action_kind: None,
                note: Some(note),
            },
            ctx.now,
        )
    })?;
    ctx.info(format!("Touch logged for {} ({}): {}", c.label(), args.kind.name(), note));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::templates::DEFAULTS;

    /// Every shipped outreach template, filled for every example customer,
    /// has no hole; the reply templates' own placeholders (`{explanation}`,
    /// `{team}`...) are the founder's to fill and are left out.
    #[test]
    fn every_default_template_renders_without_holes_on_the_example_data() {
        let now = crate::time::parse_now("2026-11-20T12:00:00Z").unwrap();
        let mut conn = store::open_memory().unwrap();
        crate::example::load(&mut conn, now).unwrap();
        let settings = Settings::from_stored(store::config::all(&conn).unwrap());
        let drafts = Drafts::new(&conn, &settings, now).unwrap();
        let people = customers::list(&conn).unwrap();
        assert!(people.len() >= 10);
        for t in DEFAULTS.iter().filter(|t| !["resolution", "escalation"].contains(&t.name)) {
            for c in &people {
                let mut v = drafts.values_for(Some(c));
                v.insert("customer".into(), c.label().into());
                v.insert("issue".into(), "the export".into());
                v.insert("timeframe".into(), drafts.timeframe.clone());
                let d = drafts.fill(&conn, t.name, &v).unwrap();
                assert!(d.missing.is_empty(), "{} for {}: {:?}", t.name, c.id, d.missing);
                assert!(!d.shown().contains('{'), "{}: {}", t.name, d.text);
            }
        }
    }
}
