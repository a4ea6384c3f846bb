//! The fields of each import kind with their header aliases (docs/import.md):
//! data, not code paths. Presets extend these tables, they do not branch.

use crate::import::presets::Preset;
use crate::import::ImportKind;

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
    opt("contact_name", &["contact", "contact name", "first_name"]),
    opt("mrr_changed_at", &["updated_at"]),
    opt("salutation", &["greeting"]),
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

/// Where each field's values come from in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// Per field, the columns to read, in order: the first non-empty cell wins.
    pub cols: Vec<Vec<usize>>,
    /// A preset's computed field: (field index, base field index, minutes column).
    pub minutes_after: Option<(usize, usize, usize)>,
}

/// Where each field of `kind` is in `headers`: `--map` first, then the
/// preset's spellings (all present ones, in order), then the field's name and
/// aliases. Returns the error a user reads when a required field is missing.
pub fn resolve(
    kind: ImportKind,
    headers: &[String],
    map: &[(String, String)],
    preset: Option<&Preset>,
    source: &str,
) -> Result<Resolved, String> {
    let fs = fields(kind);
    let norm: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let find = |h: &str| norm.iter().position(|n| *n == normalize(h));
    for (field, _) in map {
        if !fs.iter().any(|f| f.name == field) {
            return Err(format!(
                "--map {field}=...: {} has no field \"{field}\"; its fields are {}",
                kind.name(),
                fs.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let mut cols = Vec::with_capacity(fs.len());
    for f in fs {
        let found: Vec<usize> = if let Some((_, h)) = map.iter().rev().find(|(name, _)| name == f.name) {
            match find(h) {
                Some(i) => vec![i],
                None => {
                    return Err(format!(
                        "{source}: --map {}={h}: there is no column \"{h}\"; the headers found are: {}",
                        f.name,
                        headers.join(", ")
                    ))
                }
            }
        } else if let Some(spellings) = preset.and_then(|p| p.spellings(f.name)) {
            spellings.iter().filter_map(|h| find(h)).collect()
        } else {
            std::iter::once(f.name).chain(f.aliases.iter().copied()).find_map(find).into_iter().collect()
        };
        cols.push(found);
    }
    let mut minutes_after = None;
    if let Some((field, base, spellings)) = preset.and_then(|p| p.minutes_after) {
        let fi = fs.iter().position(|f| f.name == field);
        let bi = fs.iter().position(|f| f.name == base);
        if let (Some(fi), Some(bi), Some(col)) = (fi, bi, spellings.iter().find_map(|h| find(h))) {
            if cols[fi].is_empty() {
                minutes_after = Some((fi, bi, col));
            }
        }
    }
    if let Some((f, _)) = fs.iter().zip(&cols).find(|(f, c)| f.required && c.is_empty()) {
        let spellings: Vec<&str> = match preset.and_then(|p| p.spellings(f.name)) {
            Some(s) => s.to_vec(),
            None => f.aliases.to_vec(),
        };
        let aka = if spellings.is_empty() {
            String::new()
        } else {
            format!(" (or one of: {})", spellings.join(", "))
        };
        let by = preset.map_or(String::new(), |p| format!(" for the {} preset", p.name));
        return Err(format!(
            "{source}: missing required column \"{}\"{aka}{by}; the headers found are: {} — rename the \
             column or pass --map {}=HEADER",
            f.name,
            headers.join(", "),
            f.name
        ));
    }
    Ok(Resolved { cols, minutes_after })
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
        let r = resolve(ImportKind::Usage, &h(&["User_Id", "Time", "Feature", "x"]), &[], None, "f").unwrap();
        assert_eq!(r.cols, vec![vec![0], vec![1], vec![2], vec![]]);
        let map = vec![("timestamp".to_string(), "When It Happened".to_string())];
        let r = resolve(ImportKind::Usage, &h(&["customer", "when_it_happened", "event"]), &map, None, "f")
            .unwrap();
        assert_eq!(r.cols[1], vec![1]);
        // a preset reads every spelling present, first non-empty wins
        let p = crate::import::presets::find("stripe-payments");
        let heads = h(&["id", "Created (UTC)", "Amount", "Status", "Customer Email", "Customer ID"]);
        let r = resolve(ImportKind::Billing, &heads, &[], p, "f").unwrap();
        assert_eq!(r.cols[0], vec![5, 4]);
    }

    #[test]
    fn a_missing_column_lists_the_headers_found() {
        let e = resolve(ImportKind::Nps, &h(&["customer", "date"]), &[], None, "s.csv").unwrap_err();
        assert!(e.starts_with("s.csv: missing required column \"score\" (or one of: nps, rating); the headers found are: customer, date"), "{e}");
        let e = resolve(ImportKind::Nps, &h(&["customer"]), &[("mood".into(), "x".into())], None, "s.csv")
            .unwrap_err();
        assert!(e.contains("has no field \"mood\""), "{e}");
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Any header text normalises without panicking, idempotently, and
        /// spaces, `-` and `_` are alike.
        #[test]
        fn header_matching_is_loose_and_stable(h in "\\PC{0,30}") {
            let n = normalize(&h);
            prop_assert_eq!(normalize(&n), n.clone());
            prop_assert_eq!(normalize(&h.replace('_', "-")), normalize(&h.replace('-', " ")));
        }

    }
}
