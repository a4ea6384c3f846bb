//! Import presets for real exports: each preset is data — the header
//! spellings of each field (several export versions), value maps and a few
//! declared transforms — applied by the one generic importer.

use crate::import::ImportKind;

#[derive(Debug)]
pub struct Preset {
    pub name: &'static str,
    pub kind: ImportKind,
    pub about: &'static str,
    /// field → header spellings; when several are present, the first
    /// non-empty cell of a row wins (e.g. Stripe's Customer ID, else email).
    pub headers: &'static [(&'static str, &'static [&'static str])],
    /// field → (export value, csf value), compared case-insensitively; a value
    /// mapped to "" means "no value". Values not listed pass through.
    pub values: &'static [(&'static str, &'static [(&'static str, &'static str)])],
    /// Fields that keep only the first word of the cell (Zendesk tags).
    pub first_word: &'static [&'static str],
    /// A field computed as another field plus a number of minutes from a
    /// column: (field, base field, minutes header spellings).
    pub minutes_after: Option<(&'static str, &'static str, &'static [&'static str])>,
}

const NO_VALUES: &[(&str, &[(&str, &str)])] = &[];

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "stripe-payments",
        kind: ImportKind::Billing,
        about: "Stripe Dashboard › Payments › Export (unified_payments.csv)",
        headers: &[
            ("invoice_id", &["id", "payment id"]),
            ("date", &["created (utc)", "created date (utc)", "created"]),
            ("amount", &["amount", "converted amount"]),
            ("status", &["status"]),
            ("customer", &["customer id", "customer email", "customer"]),
        ],
        values: &[(
            "status",
            &[
                ("paid", "paid"),
                ("failed", "failed"),
                ("refunded", "refunded"),
                ("canceled", "void"),
                ("requires_payment_method", "failed"),
            ],
        )],
        first_word: &[],
        minutes_after: None,
    },
    Preset {
        name: "stripe-invoices",
        kind: ImportKind::Billing,
        about: "Stripe Dashboard › Invoices › Export (invoices.csv)",
        headers: &[
            ("invoice_id", &["id", "number", "invoice number"]),
            ("customer", &["customer", "customer id", "customer email"]),
            ("date", &["date (utc)", "created (utc)", "date", "due date (utc)"]),
            ("amount", &["amount due", "total", "amount paid"]),
            ("status", &["status"]),
        ],
        values: NO_VALUES,
        first_word: &[],
        minutes_after: None,
    },
    Preset {
        name: "stripe-customers",
        kind: ImportKind::Customers,
        about: "Stripe Dashboard › Customers › Export (customers.csv)",
        headers: &[
            ("id", &["id", "customer id"]),
            ("email", &["email"]),
            ("name", &["name", "description"]),
            ("signed_up_at", &["created (utc)", "created date (utc)", "created"]),
            ("plan", &["plan", "product", "price"]),
        ],
        values: NO_VALUES,
        first_word: &[],
        minutes_after: None,
    },
    Preset {
        name: "posthog",
        kind: ImportKind::Usage,
        about: "PostHog events export (event, distinct_id, timestamp)",
        headers: &[
            ("customer", &["distinct_id", "person.properties.email", "person_id"]),
            ("event", &["event"]),
            ("timestamp", &["timestamp", "time"]),
        ],
        values: NO_VALUES,
        first_word: &[],
        minutes_after: None,
    },
    Preset {
        name: "amplitude",
        kind: ImportKind::Usage,
        about: "Amplitude event export (event_type, user_id, event_time)",
        headers: &[
            ("customer", &["user_id", "amplitude_id", "device_id"]),
            ("event", &["event_type"]),
            ("timestamp", &["event_time", "client_event_time", "server_upload_time"]),
        ],
        values: NO_VALUES,
        first_word: &[],
        minutes_after: None,
    },
    Preset {
        name: "zendesk",
        kind: ImportKind::Tickets,
        about: "Zendesk Support ticket export (CSV)",
        headers: &[
            ("id", &["id", "ticket id"]),
            ("customer", &["requester email", "requester", "requester id", "organization"]),
            ("subject", &["subject"]),
            ("category", &["tags", "ticket type", "type"]),
            ("priority", &["priority"]),
            ("channel", &["via", "channel"]),
            ("created_at", &["created at", "created"]),
            ("resolved_at", &["solved at", "resolved at"]),
            ("csat", &["satisfaction score", "satisfaction"]),
        ],
        values: &[
            ("csat", &[("good", "5"), ("bad", "1"), ("offered", ""), ("unoffered", ""), ("not offered", "")]),
            (
                "channel",
                &[
                    ("web", "email"),
                    ("web form", "email"),
                    ("mail", "email"),
                    ("email", "email"),
                    ("chat", "chat"),
                    ("web widget", "chat"),
                    ("voice", "call"),
                    ("phone", "call"),
                    ("api", ""),
                ],
            ),
            ("priority", &[("", "normal")]),
        ],
        first_word: &["category"],
        minutes_after: Some((
            "first_response_at",
            "created_at",
            &["first reply time in minutes", "first reply time in minutes within business hours"],
        )),
    },
    Preset {
        name: "freshdesk",
        kind: ImportKind::Tickets,
        about: "Freshdesk ticket export (CSV)",
        headers: &[
            ("id", &["ticket id", "id"]),
            ("customer", &["requester email", "contact email", "email", "contact id", "requester name"]),
            ("subject", &["subject"]),
            ("category", &["type", "tags", "group"]),
            ("priority", &["priority"]),
            ("channel", &["source"]),
            ("created_at", &["created time", "created at"]),
            ("first_response_at", &["initial response time", "first responded time"]),
            ("resolved_at", &["resolved time", "closed time"]),
            ("csat", &["survey results", "satisfaction rating"]),
        ],
        values: &[
            (
                "csat",
                &[
                    ("extremely happy", "5"),
                    ("awesome", "5"),
                    ("extremely satisfied", "5"),
                    ("very satisfied", "5"),
                    ("happy", "4"),
                    ("satisfied", "4"),
                    ("good", "4"),
                    ("neutral", "3"),
                    ("okay", "3"),
                    ("unhappy", "2"),
                    ("unsatisfied", "2"),
                    ("dissatisfied", "2"),
                    ("bad", "2"),
                    ("extremely unhappy", "1"),
                    ("very unhappy", "1"),
                    ("extremely unsatisfied", "1"),
                    ("very dissatisfied", "1"),
                ],
            ),
            (
                "channel",
                &[
                    ("email", "email"),
                    ("portal", "email"),
                    ("chat", "chat"),
                    ("phone", "call"),
                    ("feedback widget", "email"),
                ],
            ),
            ("priority", &[("low", "low"), ("medium", "normal"), ("high", "high"), ("urgent", "urgent")]),
        ],
        first_word: &[],
        minutes_after: None,
    },
];

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    pub fn spellings(&self, field: &str) -> Option<&'static [&'static str]> {
        self.headers.iter().find(|(f, _)| *f == field).map(|(_, h)| *h)
    }

    /// The value a cell of `field` stands for.
    pub fn map_value<'a>(&self, field: &str, v: &'a str) -> &'a str {
        let v = if self.first_word.contains(&field) {
            v.split([' ', ',', ';']).find(|w| !w.is_empty()).unwrap_or("")
        } else {
            v
        };
        match self.values.iter().find(|(f, _)| *f == field) {
            Some((_, map)) => {
                map.iter().find(|(from, _)| from.eq_ignore_ascii_case(v)).map_or(v, |(_, to)| to)
            }
            None => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::fields::fields;

    #[test]
    fn every_preset_maps_only_known_fields() {
        for p in PRESETS {
            let known: Vec<&str> = fields(p.kind).iter().map(|f| f.name).collect();
            for (f, _) in p.headers {
                assert!(known.contains(f), "{}: {f}", p.name);
            }
            for (f, _) in p.values {
                assert!(known.contains(f), "{}: {f}", p.name);
            }
        }
    }

    #[test]
    fn values_map_case_insensitively() {
        let z = find("zendesk").unwrap();
        assert_eq!(z.map_value("csat", "Good"), "5");
        assert_eq!(z.map_value("csat", "Offered"), "");
        assert_eq!(z.map_value("category", "billing vip"), "billing");
        assert_eq!(z.map_value("subject", "Good"), "Good");
    }
}
