//! `csf today` (SPEC §13): the morning's actions, assembled from the rules
//! that already exist elsewhere (ticket targets, band actions, warning
//! signs, sequence steps) — this module only adds the touch windows, the
//! ids, the order and the drafts' holes. Pure: `now` comes in.

use std::collections::BTreeMap;

use crate::domain::tickets;
use crate::time::DAY;

/// The kinds, most urgent first (SPEC §13.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Ticket,
    Rescue,
    Winback,
    Onboarding,
    Expand,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Ticket => "ticket",
            Kind::Rescue => "rescue",
            Kind::Winback => "winback",
            Kind::Onboarding => "onboarding",
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
    Step { sequence: &'static str, started_on: String, day: i64 },
    /// Only the touch.
    Touch,
}

/// A draft from a template: the text (holes kept as `{name}`) and the
/// placeholders left without a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub template: String,
    pub text: String,
    pub missing: Vec<String>,
}

impl Draft {
    pub fn fill(template: &str, text: &str, values: &BTreeMap<String, String>) -> Draft {
        match tickets::render(text, values) {
            Ok(t) => Draft { template: template.into(), text: t, missing: Vec::new() },
            Err(missing) => {
                // Fill what is known; keep the holes visible.
                let mut partial = values.clone();
                for m in &missing {
                    partial.insert(m.clone(), format!("{{{m}}}"));
                }
                let text = tickets::render(text, &partial).unwrap_or_else(|_| text.to_string());
                Draft { template: template.into(), text, missing }
            }
        }
    }

    /// The draft as handed over: a line naming each hole first, so that a
    /// draft with a hole is never sent by mistake.
    pub fn shown(&self) -> String {
        if self.missing.is_empty() {
            return self.text.clone();
        }
        let holes: Vec<String> = self.missing.iter().map(|m| format!("{{{m}}}")).collect();
        let fixes: Vec<String> = self.missing.iter().filter_map(|m| fix_for(m)).collect();
        format!(
            "[NOT READY: fill {}{}]\n\n{}",
            holes.join(", "),
            if fixes.is_empty() { String::new() } else { format!(" — {}", fixes.join("; ")) },
            self.text
        )
    }
}

/// How to fill a placeholder csf fills from its settings.
fn fix_for(placeholder: &str) -> Option<String> {
    let key = match placeholder {
        "product" => "product.name",
        "founder" => "founder.name",
        "first_step" => "product.first_step",
        "feature" => "onboarding.value_event",
        _ => return None,
    };
    Some(format!("csf config set {key} VALUE"))
}

/// One action due this morning.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub id: String,
    pub kind: Kind,
    pub cid: i64,
    pub customer_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// `YYYY-MM-DD`: when it became due.
    pub due_on: String,
    /// For the order within a kind: smaller is more urgent.
    pub urgency: i64,
    pub why: String,
    pub action: String,
    pub draft: Option<Draft>,
    pub effect: Effect,
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

/// Days a touch keeps a customer out of `rescue` (SPEC §13.1).
pub const RESCUE_QUIET_DAYS: i64 = 7;
/// Days a touch keeps a healthy customer out of `expand`.
pub const EXPAND_QUIET_DAYS: i64 = 30;
/// Days a done `expand` keeps it from coming back.
pub const EXPAND_AGAIN_DAYS: i64 = 90;

/// Whether `at` falls in the last `days` days (today included).
pub fn within_days(at: Option<i64>, days: i64, now: i64) -> bool {
    at.is_some_and(|t| t <= now && t.div_euclid(DAY) > now.div_euclid(DAY) - days)
}

/// A customer in critical or at-risk with no touch in the last 7 days.
pub fn rescue_due(score: i64, last_touch: Option<i64>, now: i64) -> bool {
    score < 60 && !within_days(last_touch, RESCUE_QUIET_DAYS, now)
}

/// A healthy customer (≥ 80) with no touch in 30 days and no expand done in 90.
pub fn expand_due(score: i64, last_touch: Option<i64>, last_expand: Option<i64>, now: i64) -> bool {
    score >= 80
        && !within_days(last_touch, EXPAND_QUIET_DAYS, now)
        && !within_days(last_expand, EXPAND_AGAIN_DAYS, now)
}

/// Most urgent first: by kind, then urgency, then customer and id.
pub fn sort(actions: &mut [Action]) {
    actions.sort_by(|a, b| {
        (a.kind, a.urgency, &a.customer_id, &a.id).cmp(&(b.kind, b.urgency, &b.customer_id, &b.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 20_000 * DAY + 12 * 3600;

    #[test]
    fn a_touch_keeps_rescue_quiet_for_7_days_and_expand_for_30() {
        let days_ago = |d: i64| Some(NOW - d * DAY);
        assert!(rescue_due(39, None, NOW));
        assert!(!rescue_due(39, days_ago(6), NOW));
        assert!(rescue_due(39, days_ago(7), NOW));
        assert!(!rescue_due(60, None, NOW), "neutral is not rescued");
        assert!(expand_due(80, None, None, NOW));
        assert!(!expand_due(79, None, None, NOW));
        assert!(!expand_due(90, days_ago(29), None, NOW));
        assert!(expand_due(90, days_ago(30), None, NOW));
        assert!(!expand_due(90, days_ago(31), days_ago(89), NOW));
        assert!(expand_due(90, days_ago(31), days_ago(90), NOW));
        assert!(!within_days(Some(NOW + 1), 7, NOW), "a touch after now does not count");
    }

    #[test]
    fn drafts_name_their_holes() {
        let mut v = BTreeMap::new();
        v.insert("name".to_string(), "Jane".to_string());
        let d = Draft::fill("onboarding-0", "Hi {name}, welcome to {product}.", &v);
        assert_eq!(d.missing, ["product"]);
        assert_eq!(d.text, "Hi Jane, welcome to {product}.");
        assert!(d.shown().starts_with("[NOT READY: fill {product} — csf config set product.name VALUE]"));
        v.insert("product".to_string(), "Acme".to_string());
        let d = Draft::fill("onboarding-0", "Hi {name}, welcome to {product}.", &v);
        assert_eq!(d.shown(), "Hi Jane, welcome to Acme.");
    }

    #[test]
    fn kinds_sort_in_the_order_of_urgency() {
        let a = |kind, urgency, id: &str| Action {
            id: id.into(),
            kind,
            cid: 1,
            customer_id: "c".into(),
            name: None,
            email: None,
            due_on: String::new(),
            urgency,
            why: String::new(),
            action: String::new(),
            draft: None,
            effect: Effect::Touch,
        };
        let mut v = vec![
            a(Kind::Expand, 0, "e"),
            a(Kind::Ticket, 5, "t2"),
            a(Kind::Onboarding, 0, "o"),
            a(Kind::Rescue, 0, "r"),
            a(Kind::Ticket, 1, "t1"),
            a(Kind::Winback, 0, "w"),
        ];
        sort(&mut v);
        let ids: Vec<&str> = v.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["t1", "t2", "r", "w", "o", "e"]);
    }
}
