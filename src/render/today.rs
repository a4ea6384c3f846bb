//! The morning's actions as a table with drafts, markdown, JSON or CSV.

use crate::domain::today::{Action, Draft};
use crate::render::{self, md_escape, Cell, Rows, Value};
use crate::time::iso_date;

/// JSON/CSV rows: `id, kind, customer_id, name, due_on, why, action, draft, email`.
pub fn rows(all: &[Action]) -> Rows {
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

/// The drafts under the table, each headed by its action id.
pub fn drafts_text(all: &[Action]) -> String {
    let mut drafts = String::new();
    for a in all {
        if let Some(d) = &a.draft {
            drafts.push_str(&format!(
                "\n── {} · draft ({}) ──\n{}\n",
                render::visible(&a.id),
                d.template,
                render::visible(d.shown().trim_end())
            ));
        }
    }
    drafts
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// "Today, 2026-11-20: 3 actions" and a blank line.
pub fn heading(all: &[Action], now: i64) -> String {
    format!("Today, {}: {} action{}\n\n", iso_date(now), all.len(), plural(all.len()))
}

/// The morning as markdown, for a cron mail or a wiki.
pub fn markdown(all: &[Action], now: i64) -> String {
    let mut o = format!(
        "## Today — {}\n\n{} action{} due, most urgent first. `csf done ID...` when done.\n",
        iso_date(now),
        all.len(),
        plural(all.len())
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
