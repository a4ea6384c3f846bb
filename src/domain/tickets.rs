//! Support tickets (docs/tickets.md): lifecycle as of `now`, response-time targets,
//! and reply templates with placeholders — pure functions.

use std::collections::BTreeMap;

use crate::time::Day;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Acknowledged,
    Resolved,
    Closed,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Acknowledged => "acknowledged",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }
}

/// The status as of `now`, from the ticket's times (so `--now` in the past
/// sees the past).
pub fn status_at(
    first_response: Option<i64>,
    resolved: Option<i64>,
    closed: Option<i64>,
    now: i64,
) -> Status {
    let by = |t: Option<i64>| t.is_some_and(|t| t <= now);
    if by(closed) {
        Status::Closed
    } else if by(resolved) {
        Status::Resolved
    } else if by(first_response) {
        Status::Acknowledged
    } else {
        Status::Open
    }
}

/// Where a ticket came in. Imported tickets may name other channels: they
/// are kept as written and have no response target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Chat,
    Call,
    Docs,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Email, Channel::Chat, Channel::Call, Channel::Docs];

    /// As stored and typed: `email`.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Call => "call",
            Channel::Docs => "docs",
        }
    }

    /// A stored channel, if it is one of csf's.
    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// The first-response target of a channel in seconds: chat and email have
/// one (`targets.chat_response_hours`, `targets.email_response_hours`); call,
/// docs and anything else have none.
pub fn target_secs(channel: Option<Channel>, chat_hours: f64, email_hours: f64) -> Option<i64> {
    match channel {
        Some(Channel::Chat) => Some((chat_hours * 3600.0).round() as i64),
        Some(Channel::Email) => Some((email_hours * 3600.0).round() as i64),
        _ => None,
    }
}

/// When a ticket opened at `created_at` on `channel` is due its first
/// response under the settings' targets; `None` for channels without one.
pub fn target_at(
    created_at: i64,
    channel: Option<Channel>,
    s: &crate::domain::settings::Settings,
) -> Option<i64> {
    target_secs(channel, s.number("targets.chat_response_hours"), s.number("targets.email_response_hours"))
        .map(|secs| created_at + secs)
}

/// Past its first-response target: still waiting (no first response and not
/// resolved by `now`) and `now` strictly after the target (exactly at the
/// target is not overdue). A ticket resolved without a reply no longer waits.
pub fn overdue(target_at: Option<i64>, first_response: Option<i64>, resolved: Option<i64>, now: i64) -> bool {
    let by_now = |t: Option<i64>| t.is_some_and(|t| t <= now);
    match target_at {
        Some(t) => !by_now(first_response) && !by_now(resolved) && now > t,
        None => false,
    }
}

/// "3 h 20 min left", "45 min overdue", "answered", for the list.
pub fn target_text(target_at: Option<i64>, first_response: Option<i64>, now: i64) -> String {
    match (target_at, first_response.filter(|f| *f <= now)) {
        (None, _) => "no target".into(),
        (Some(t), Some(f)) if f <= t => "met".into(),
        (Some(_), Some(_)) => "missed".into(),
        (Some(t), None) if now > t => format!("{} overdue", crate::time::duration(now - t)),
        (Some(t), None) => format!("{} left", crate::time::duration(t - now)),
    }
}

/// Hours between two times, for metrics.
pub fn hours(from: i64, to: i64) -> f64 {
    (to - from) as f64 / 3600.0
}

pub const DAYS_FOR_COMMON: i64 = 30;
/// A category with this many tickets in the last 30 days is "common".
pub const COMMON_AT: i64 = 3;

pub fn common_window_start(now: i64) -> i64 {
    (Day::of(now) - (DAYS_FOR_COMMON - 1)).start()
}

/// The placeholders a template uses, in order of first appearance.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    scan(template, |p| {
        if !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
        None
    });
    out
}

/// Fills every placeholder from `values`. Only `{name}` placeholders are
/// replaced — nothing is evaluated; `{{` and `}}` are literal braces.
/// Err: the placeholders left without a value.
pub fn render(template: &str, values: &BTreeMap<String, String>) -> Result<String, Vec<String>> {
    let mut missing: Vec<String> = Vec::new();
    let out = scan(template, |p| match values.get(p) {
        Some(v) => Some(v.clone()),
        None => {
            if !missing.iter().any(|m| m == p) {
                missing.push(p.to_string());
            }
            None
        }
    });
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// Walks a template, calling `f` for each placeholder name; its answer
/// replaces the placeholder (None keeps it as written).
fn scan(template: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('{') {
            if let Some(end) = tail.find('}') {
                let name = &tail[1..end];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    match f(name) {
                        Some(v) => out.push_str(&v),
                        None => out.push_str(&tail[..=end]),
                    }
                    rest = &tail[end + 1..];
                    continue;
                }
            }
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(kv: &[(&str, &str)]) -> BTreeMap<String, String> {
        kv.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn rendering_fills_placeholders_and_reports_the_missing() {
        let t = "Hi {customer}, {{literal}} {issue} {issue}";
        assert_eq!(
            render(t, &vals(&[("customer", "Ann"), ("issue", "x")])),
            Ok("Hi Ann, {literal} x x".into())
        );
        assert_eq!(render(t, &vals(&[("customer", "Ann")])), Err(vec!["issue".to_string()]));
        // values are inserted as they are, never evaluated again
        assert_eq!(render("{a}", &vals(&[("a", "{b}")])), Ok("{b}".into()));
        assert_eq!(render("{ not a placeholder } {", &vals(&[])), Ok("{ not a placeholder } {".into()));
    }

    #[test]
    fn overdue_only_strictly_after_the_target() {
        assert!(!overdue(Some(100), None, None, 100));
        assert!(overdue(Some(100), None, None, 101));
        assert!(!overdue(Some(100), Some(90), None, 200));
        assert!(overdue(Some(100), Some(300), None, 200), "a reply after now does not count yet");
        assert!(!overdue(Some(100), None, Some(150), 200), "resolved without a reply: no longer waiting");
        assert!(!overdue(None, None, None, 1_000_000));
        assert_eq!(target_secs(Some(Channel::Chat), 1.0, 24.0), Some(3600));
        assert_eq!(target_secs(Some(Channel::Email), 1.0, 24.0), Some(86_400));
        assert_eq!(target_secs(Some(Channel::Call), 1.0, 24.0), None);
    }

    #[test]
    fn status_follows_the_times() {
        assert_eq!(status_at(None, None, None, 10), Status::Open);
        assert_eq!(status_at(Some(5), None, None, 10), Status::Acknowledged);
        assert_eq!(status_at(Some(5), Some(8), None, 10), Status::Resolved);
        assert_eq!(status_at(Some(5), Some(8), Some(9), 10), Status::Closed);
        assert_eq!(status_at(Some(5), Some(18), None, 10), Status::Acknowledged);
        assert_eq!(target_text(Some(100), None, 40), "1 min left");
    }
}
