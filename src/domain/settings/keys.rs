//! Every configuration key: its name, default, kind and the line `csf
//! config list` shows (docs/schema.md).

use super::{Key, Kind};

pub const KEYS: &[Key] = &[
    Key {
        name: "currency",
        default: Some("USD"),
        kind: Kind::Currency,
        help: "ISO 4217 code of your prices (USD, EUR, GBP...): money is shown as $49.00, €49.00, 49.00 CHF",
    },
    Key {
        name: "timezone",
        default: Some("UTC"),
        kind: Kind::Zone,
        help: "IANA zone of your days (Europe/Paris, Asia/Tokyo): today, the last N days, months and weeks begin at its midnight",
    },
    Key {
        name: "product.name",
        default: None,
        kind: Kind::Text,
        help: "your product's name, for {product} in outreach drafts (csf today, csf template)",
    },
    Key {
        name: "product.first_step",
        default: None,
        kind: Kind::Text,
        help: "the first thing a new customer should do, for {first_step} in the welcome email",
    },
    Key {
        name: "founder.name",
        default: None,
        kind: Kind::Text,
        help: "who signs the outreach drafts, for {founder}",
    },
    Key {
        name: "founder.email",
        default: None,
        kind: Kind::Email,
        help: "your address: the From: of every draft (with founder.name)",
    },
    Key {
        name: "billing.update_url",
        default: None,
        kind: Kind::Text,
        help: "where a customer updates their card, for {update_url} in the failed-payment draft",
    },
    Key {
        name: "health.weights",
        default: Some("40,30,20,10"),
        kind: Kind::Weights,
        help:
            "weights of usage, engagement, satisfaction, payment: four non-negative integers summing to 100",
    },
    Key {
        name: "health.core_features",
        default: None,
        kind: Kind::List,
        help: "comma list of core feature event names; unset: every event seen except health.ignore_events",
    },
    Key {
        name: "health.ignore_events",
        default: Some("login,setup_complete"),
        kind: Kind::List,
        help: "comma list of events that are not core features when health.core_features is unset",
    },
    Key {
        name: "onboarding.value_event",
        default: None,
        kind: Kind::Name,
        help: "the event that means a customer reached first value; unset: the first core feature event",
    },
    Key {
        name: "onboarding.setup_event",
        default: Some("setup_complete"),
        kind: Kind::Name,
        help: "the event that means setup is complete",
    },
    Key {
        name: "targets.first_response_hours",
        default: Some("4"),
        kind: Kind::Number,
        help: "target mean first response time, hours (lower is better)",
    },
    Key {
        name: "targets.resolution_hours",
        default: Some("24"),
        kind: Kind::Number,
        help: "target mean resolution time, hours (lower is better)",
    },
    Key {
        name: "targets.csat_percent",
        default: Some("90"),
        kind: Kind::Number,
        help: "target share of 4-5 CSAT ratings, percent (higher is better)",
    },
    Key {
        name: "targets.nps",
        default: Some("40"),
        kind: Kind::Number,
        help: "target NPS, -100..100 (higher is better)",
    },
    Key {
        name: "targets.churn_rate_percent",
        default: Some("5"),
        kind: Kind::Number,
        help: "target monthly churn rate, percent (lower is better)",
    },
    Key {
        name: "targets.support_load_percent",
        default: Some("10"),
        kind: Kind::Number,
        help: "target tickets per active customer, percent (lower is better)",
    },
    Key {
        name: "targets.time_to_first_value_minutes",
        default: Some("5"),
        kind: Kind::Number,
        help: "target median minutes from signup to first value (lower is better)",
    },
    Key {
        name: "targets.activation_rate_percent",
        default: Some("40"),
        kind: Kind::Number,
        help: "target share of a cohort reaching value within 7 days, percent",
    },
    Key {
        name: "targets.setup_completion_percent",
        default: Some("60"),
        kind: Kind::Number,
        help: "target share of a cohort completing setup, percent",
    },
    Key {
        name: "targets.d1_retention_percent",
        default: Some("30"),
        kind: Kind::Number,
        help: "target share of a cohort active the day after signup, percent",
    },
    Key {
        name: "targets.chat_response_hours",
        default: Some("1"),
        kind: Kind::Number,
        help: "first-response target for chat tickets, hours",
    },
    Key {
        name: "targets.email_response_hours",
        default: Some("24"),
        kind: Kind::Number,
        help: "first-response target for email tickets, hours",
    },
    Key {
        name: "targets.min_sample",
        default: Some("5"),
        kind: Kind::Count,
        help: "in `csf report trends`, a figure from fewer observations (tickets, ratings, customers) shows its value with n and status n/a",
    },
    Key {
        name: "today.limit",
        default: Some("10"),
        kind: Kind::Count,
        help: "how many actions `csf today` shows (the rest: csf today --all)",
    },
    Key {
        name: "health.grace_days",
        default: Some("14"),
        kind: Kind::Count,
        help: "days a new customer is in onboarding: their band never raises an alert, a --fail-on or a rescue",
    },
    Key {
        name: "data.stale_days",
        default: Some("3"),
        kind: Kind::Count,
        help: "days after which usage data counts as stale: `csf today` asks for an import first",
    },
    Key {
        name: "postgres.url_env",
        default: None,
        kind: Kind::EnvName,
        help: "name of the environment variable holding the PostgreSQL URL for csf sync postgres (never the URL)",
    },
    Key {
        name: "postgres.url_file",
        default: None,
        kind: Kind::SecretFile,
        help: "a file (mode 0600) holding the PostgreSQL URL, when postgres.url_env is unset",
    },
    Key {
        name: "postgres.usage_query",
        default: None,
        kind: Kind::Text,
        help: "SQL returning customer, timestamp, event[, count] for rows after $1 (the cursor)",
    },
    Key {
        name: "postgres.customers_query",
        default: None,
        kind: Kind::Text,
        help: "SQL returning the customers fields (id, name, email, plan, mrr, signed_up_at, churned_at…)",
    },
    Key {
        name: "postgres.statement_timeout_s",
        default: Some("300"),
        kind: Kind::Count,
        help: "seconds a query of csf sync postgres may run before PostgreSQL cancels it",
    },
    Key {
        name: "postgres.overlap_minutes",
        default: Some("60"),
        kind: Kind::Number,
        help: "minutes before the cursor csf sync postgres reads again, so late rows arrive",
    },
    Key {
        name: "stripe.key_file",
        default: None,
        kind: Kind::Text,
        help: "a file holding the Stripe API key (mode 0600 or stricter), when STRIPE_API_KEY is not set",
    },
    Key {
        name: "stripe.api_base",
        default: Some("https://api.stripe.com/v1"),
        kind: Kind::ApiBase,
        help: "Stripe's API address (stripe-mock or a test server); plain http:// only to a loopback address",
    },
];
