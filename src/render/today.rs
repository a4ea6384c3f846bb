//! The morning's actions as a table with drafts, markdown, JSON or CSV.

use serde_json::{json, Value as Json};

use crate::app::today::default_subject;
use crate::domain::today::{Action, Message};
use crate::render::{self, md_escape, money_json, Cell, Rows, Value};
use crate::time::{self, iso_date};

/// The draft of `a` as an email, if it has one.
pub fn message(a: &Action) -> Option<Message> {
    a.draft.as_ref().map(|d| d.message(a.email.as_deref(), &default_subject(a)))
}

fn who(a: &Action) -> String {
    match (&a.name, &a.email) {
        (Some(n), Some(e)) => format!("{n} <{e}>"),
        (Some(n), None) => n.clone(),
        (None, Some(e)) => format!("{} <{e}>", a.customer_id),
        (None, None) => a.customer_id.clone(),
    }
}

/// One action as JSON: `id, kind, customer_id, name, email, mrr, risk,
/// expected_loss, due_on, why, action, draft` (`draft`: `{from, to,
/// subject, body}` or null; `risk` and `expected_loss` for a rescue ranked by stored
/// evidence, else null).
pub fn json(a: &Action) -> Json {
    let mut j = json!({
        "id": a.id,
        "kind": a.kind.name(),
        "customer_id": (!a.customer_id.is_empty()).then_some(&a.customer_id),
        "name": a.name,
        "email": a.email,
        "mrr": a.mrr_cents.map(money_json),
        "risk": a.risk,
        "expected_loss": a.expected_loss.map(money_json),
        "due_on": a.due_on.iso(),
        "why": a.why,
        "action": a.action,
        "draft": message(a).map(|m| json!({"from": m.from, "to": m.to, "subject": m.subject, "body": m.body})),
    });
    if let (Some(until), Some(o)) = (a.skipped_until, j.as_object_mut()) {
        o.insert("skipped_until".into(), json!(iso_date(until)));
    }
    j
}

/// The CSV fields: the JSON fields with the draft flattened.
pub const COLUMNS: [&str; 15] = [
    "id",
    "kind",
    "customer_id",
    "name",
    "email",
    "mrr",
    "risk",
    "expected_loss",
    "due_on",
    "why",
    "action",
    "draft_from",
    "draft_to",
    "draft_subject",
    "draft_body",
];

/// One action as a table or CSV row.
pub fn row(a: &Action) -> Vec<Cell> {
    let m = message(a);
    vec![
        a.id.clone().into(),
        a.kind.name().into(),
        Value::opt_text((!a.customer_id.is_empty()).then(|| a.customer_id.clone())).into(),
        Cell::from(Value::opt_text(a.name.clone())).shown(who(a)),
        Value::opt_text(a.email.clone()).into(),
        Value::opt_money(a.mrr_cents).into(),
        match a.risk {
            Some(r) => Cell::from(Value::Num(r, 1)).shown(format!("{}%", render::figure::fixed(r, 1))),
            None => Value::Null.into(),
        },
        Value::opt_money(a.expected_loss).into(),
        Value::Date(a.due_on.iso()).into(),
        a.why.clone().into(),
        a.action.clone().into(),
        Value::opt_text(m.as_ref().and_then(|m| m.from.clone())).into(),
        Value::opt_text(m.as_ref().and_then(|m| m.to.clone())).into(),
        Value::opt_text(m.as_ref().map(|m| m.subject.clone())).into(),
        Value::opt_text(m.map(|m| m.body)).into(),
    ]
}

/// Table rows: the CSV fields; tables hide the contact and draft columns.
pub fn rows(all: &[Action]) -> Rows {
    let mut rows = Rows::new(&COLUMNS);
    for a in all {
        rows.push(row(a));
    }
    // MRR and risk rank the rescues: the table never drops them, and keeps
    // the customer longer than why.
    rows.hide(&[
        "customer_id",
        "email",
        "expected_loss",
        "draft_from",
        "draft_to",
        "draft_subject",
        "draft_body",
    ])
    .drop_order(&["due_on", "kind", "action", "why"])
    .keep(&["mrr", "risk"])
}

/// The skipped actions: id, kind, customer and the day each comes back.
pub fn skipped_rows(all: &[Action]) -> Rows {
    let mut rows = Rows::new(&["id", "kind", "customer_id", "name", "until", "why"]);
    for a in all {
        rows.push(vec![
            a.id.clone().into(),
            a.kind.name().into(),
            a.customer_id.clone().into(),
            Value::opt_text(a.name.clone()).into(),
            Value::opt_text(a.skipped_until.map(iso_date)).into(),
            a.why.clone().into(),
        ]);
    }
    rows
}

/// The drafts under the table, each headed by its action id, as emails
/// (lines broken between words to the terminal's width).
pub fn drafts_text(all: &[Action]) -> String {
    let mut out = String::new();
    for a in all {
        if let Some(m) = message(a) {
            out.push_str(&render::fit_text(&format!(
                "\n── {} · draft ({}) ──\n{}\n",
                render::visible(&a.id),
                a.template.as_deref().unwrap_or_default(),
                render::visible(m.text().trim_end())
            )));
        }
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// "Today, 2026-11-20: 3 actions" (or "the first 10 of 57") and a blank line.
pub fn heading(shown: usize, total: usize, now: i64) -> String {
    if shown == total {
        format!("Today, {}: {} action{}\n\n", iso_date(now), total, plural(total))
    } else {
        format!("Today, {}: the first {shown} of {total} actions, most at stake first\n\n", iso_date(now))
    }
}

/// The line under a capped list: "and 190 more: csf today --all".
pub fn more_line(shown: usize, total: usize) -> Option<String> {
    (total > shown).then(|| format!("and {} more: csf today --all\n", total - shown))
}

/// The morning as markdown, for a cron mail or a wiki.
pub fn markdown(all: &[Action], total: usize, now: i64) -> String {
    let mut o = format!(
        "## Today — {}\n\n{} action{} due, most at stake first. `csf done ID...` when done.\n",
        iso_date(now),
        total,
        plural(total)
    );
    for (i, a) in all.iter().enumerate() {
        o.push_str(&format!(
            "\n### {}. {} — {}\n\n- **Id:** `{}`\n- **Customer:** {}\n- **Due since:** {}\n- **Why:** {}\n- **Action:** {}\n",
            i + 1,
            a.kind.name(),
            md_escape(a.name.as_deref().unwrap_or(&a.customer_id)),
            render::visible(&a.id.replace('`', "'")),
            md_escape(&who(a)),
            a.due_on,
            md_escape(&a.why),
            md_escape(&a.action)
        ));
        if let Some(m) = message(a) {
            let text = render::visible(&m.text()).into_owned();
            // A fence longer than any run of backticks in the draft.
            let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            o.push_str(&format!("\n{fence}text\n{}\n{fence}\n", text.trim_end()));
        }
    }
    if let Some(line) = more_line(all.len(), total) {
        o.push('\n');
        o.push_str(&line);
    }
    o
}

/// When a skip ends, for stderr.
pub fn until_text(until: i64, now: i64) -> String {
    format!("{} ({})", iso_date(until), time::relative(until, now))
}

/// The hints after the morning (stderr): the settings that would make the
/// drafts yours, that rescues rank by MRR until there is evidence, and what
/// to do next.
pub fn hints(unset: &[&str], total: usize, no_evidence: bool) -> Vec<String> {
    let mut out = Vec::new();
    if !unset.is_empty() {
        out.push(format!(
            "Drafts use plain words for {}: `csf config set KEY VALUE` makes them yours.",
            unset.join(", ")
        ));
    }
    if no_evidence {
        out.push(
            "no evidence yet: rescues rank by MRR at stake (`csf health score` measures what foretells churn weekly)"
                .into(),
        );
    }
    out.push(if total == 0 {
        "Nothing due today.".into()
    } else {
        "`csf done ID...` when done; `csf skip ID` hides one for a week; `csf draft ID | sendmail -t`.".into()
    });
    out
}

/// `--fail-on due`: "3 actions are due today" (None when nothing is).
pub fn due_alert(total: usize) -> Option<String> {
    (total > 0).then(|| format!("{total} action{} due today", if total == 1 { " is" } else { "s are" }))
}

/// What `done` recorded for one action.
pub fn done_line(a: &Action) -> String {
    use crate::domain::today::Effect;
    let what = match &a.effect {
        Effect::Reply { ticket_id, .. } => format!("reply recorded on ticket {ticket_id}"),
        Effect::Step { sequence, day, .. } => format!("{sequence} day {day} marked done"),
        Effect::Touch | Effect::None => "touch logged".to_string(),
    };
    format!("Done: {} — {what}", a.id)
}
