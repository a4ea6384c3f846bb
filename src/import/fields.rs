//! The fields of each import kind with their header aliases (SPEC §3.2):
//! data, not code paths. Presets extend these tables, they do not branch.

use crate::cli::import::ImportKind;

pub struct Field {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

const fn req(name: &'static str, aliases: &'static [&'static str]) -> Field {
    Field { name, aliases, required: true }
}
const fn opt(name: &'static str, aliases: &'static [&'static str]) -> Field {
    Field { name, aliases, required: false }
}

const CUSTOMER: &[&str] =
    &["customer_id", "customer id", "customer email", "account_id", "user_id", "distinct_id", "email"];

pub const CUSTOMERS: &[Field] = &[
    req("id", &["customer_id", "customer id"]),
    opt("name", &["company", "customer name"]),
    opt("email", &["customer email"]),
    opt("plan", &[]),
    opt("mrr", &["monthly revenue"]),
    opt("signed_up_at", &["created", "created (utc)", "created_at", "signup_date"]),
    opt("churned_at", &["canceled_at", "cancelled_at", "churn_date", "ended_at"]),
];

pub const USAGE: &[Field] = &[
    req("customer", CUSTOMER),
    req("timestamp", &["time", "occurred_at", "date", "created_at"]),
    req("event", &["feature", "event name", "name"]),
    opt("count", &["quantity"]),
];

pub const NPS: &[Field] = &[
    req("customer", CUSTOMER),
    req("responded_at", &["date", "created", "timestamp", "response date"]),
    req("score", &["nps", "rating"]),
    opt("comment", &["feedback", "reason"]),
];

pub const BILLING: &[Field] = &[
    req("customer", CUSTOMER),
    req("date", &["created", "created (utc)", "paid_at", "due_date"]),
    req("amount", &["total"]),
    req("status", &[]),
    opt("invoice_id", &["id", "invoice", "number"]),
];

pub const TICKETS: &[Field] = &[
    req("id", &["ticket_id", "number"]),
    req("customer", CUSTOMER),
    opt("subject", &["title"]),
    opt("category", &["tag", "type"]),
    opt("priority", &[]),
    opt("channel", &[]),
    req("created_at", &["created"]),
    opt("first_response_at", &["first reply", "first_reply_at"]),
    opt("resolved_at", &["solved_at", "closed_at"]),
    opt("csat", &["satisfaction", "rating"]),
];

pub fn fields(kind: ImportKind) -> &'static [Field] {
    match kind {
        ImportKind::Customers => CUSTOMERS,
        ImportKind::Usage => USAGE,
        ImportKind::Nps => NPS,
        ImportKind::Billing => BILLING,
        ImportKind::Tickets => TICKETS,
    }
}

/// Billing status values (case-insensitive) and what they mean.
pub const BILLING_STATUS: &[(&str, &str)] = &[
    ("paid", "paid"),
    ("succeeded", "paid"),
    ("success", "paid"),
    ("complete", "paid"),
    ("late", "late"),
    ("open", "late"),
    ("past_due", "late"),
    ("unpaid", "late"),
    ("overdue", "late"),
    ("failed", "failed"),
    ("uncollectible", "failed"),
    ("declined", "failed"),
    ("refunded", "refunded"),
    ("partially refunded", "refunded"),
    ("void", "void"),
    ("canceled", "void"),
    ("cancelled", "void"),
    ("draft", "void"),
];

/// A header as compared: lower case, trimmed, with spaces, `-` and `_` alike.
pub fn normalize(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut gap = false;
    for ch in h.trim().trim_start_matches('\u{feff}').trim().chars() {
        if ch == ' ' || ch == '-' || ch == '_' || ch == '\t' {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.extend(ch.to_lowercase());
        }
    }
    out
}

/// Where each field of `kind` is in `headers`: `--map` first, then the field's
/// name, then its aliases. Returns one column index (or None) per field, or
/// the error a user reads.
pub fn resolve(
    kind: ImportKind,
    headers: &[String],
    map: &[(String, String)],
    source: &str,
) -> Result<Vec<Option<usize>>, String> {
    let fs = fields(kind);
    let norm: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    for (field, _) in map {
        if !fs.iter().any(|f| f.name == field) {
            return Err(format!(
                "--map {field}=...: {} has no field \"{field}\"; its fields are {}",
                kind.name(),
                fs.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let mut out = Vec::with_capacity(fs.len());
    let mut missing = Vec::new();
    for f in fs {
        let idx = if let Some((_, h)) = map.iter().rev().find(|(name, _)| name == f.name) {
            let want = normalize(h);
            match norm.iter().position(|n| *n == want) {
                Some(i) => Some(i),
                None => {
                    return Err(format!(
                        "{source}: --map {}={h}: there is no column \"{h}\"; the headers found are: {}",
                        f.name,
                        headers.join(", ")
                    ))
                }
            }
        } else {
            std::iter::once(f.name)
                .chain(f.aliases.iter().copied())
                .find_map(|a| norm.iter().position(|n| *n == normalize(a)))
        };
        if idx.is_none() && f.required {
            missing.push(f);
        }
        out.push(idx);
    }
    if let Some(f) = missing.first() {
        let aka = if f.aliases.is_empty() {
            String::new()
        } else {
            format!(" (or one of: {})", f.aliases.join(", "))
        };
        return Err(format!(
            "{source}: missing required column \"{}\"{aka}; the headers found are: {} — rename the \
             column or pass --map {}=HEADER",
            f.name,
            headers.join(", "),
            f.name
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_compare_loosely() {
        assert_eq!(normalize("  Customer_ID "), "customer id");
        assert_eq!(normalize("\u{feff}Created (UTC)"), "created (utc)");
        assert_eq!(normalize("first-reply__at"), "first reply at");
        assert_eq!(normalize("Event Name"), normalize("event_name"));
    }

    #[test]
    fn aliases_and_map_resolve_columns() {
        let cols = resolve(ImportKind::Usage, &h(&["User_Id", "Time", "Feature", "x"]), &[], "f").unwrap();
        assert_eq!(cols, vec![Some(0), Some(1), Some(2), None]);
        let map = vec![("timestamp".to_string(), "When It Happened".to_string())];
        let cols =
            resolve(ImportKind::Usage, &h(&["customer", "when_it_happened", "event"]), &map, "f").unwrap();
        assert_eq!(cols[1], Some(1));
    }

    #[test]
    fn a_missing_column_lists_the_headers_found() {
        let e = resolve(ImportKind::Nps, &h(&["customer", "date"]), &[], "s.csv").unwrap_err();
        assert!(e.starts_with("s.csv: missing required column \"score\" (or one of: nps, rating); the headers found are: customer, date"), "{e}");
        let e =
            resolve(ImportKind::Nps, &h(&["customer"]), &[("mood".into(), "x".into())], "s.csv").unwrap_err();
        assert!(e.contains("has no field \"mood\""), "{e}");
    }
}
