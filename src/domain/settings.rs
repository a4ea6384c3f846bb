//! Configuration keys (docs/schema.md): their defaults, validation and typed values.

use std::collections::HashMap;

/// A documented configuration key.
pub struct Key {
    pub name: &'static str,
    /// `None`: unset by default (derived from the data).
    pub default: Option<&'static str>,
    pub help: &'static str,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Currency,
    Weights,
    List,
    Name,
    Number,
    /// A whole number ≥ 1.
    Count,
    /// The name of an environment variable that holds a secret (never the secret).
    EnvName,
    /// The path of a file that holds a secret (never the secret).
    SecretFile,
}

pub const KEYS: &[Key] = &[
    Key {
        name: "currency",
        default: Some("USD"),
        kind: Kind::Currency,
        help: "ISO 4217 code of your prices (USD, EUR, GBP...): money is shown as $49.00, €49.00, 49.00 CHF",
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
];

pub fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// Checks `value` for `name`; returns the normalised value or the reason it is refused.
pub fn validate(name: &str, value: &str) -> Result<String, String> {
    let k = key(name).ok_or_else(|| {
        format!(
            "unknown config key \"{name}\"; known keys: {}",
            KEYS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
        )
    })?;
    let v = value.trim();
    match k.kind {
        Kind::Text => {
            if v.is_empty() {
                Err(format!("{name} is empty; use `csf config unset {name}` to remove it"))
            } else {
                Ok(v.to_string())
            }
        }
        Kind::Currency => {
            if v.len() == 3 && v.chars().all(|c| c.is_ascii_alphabetic()) {
                Ok(v.to_ascii_uppercase())
            } else {
                Err(format!(
                    "currency must be a three-letter ISO 4217 code such as USD or EUR, got \"{value}\""
                ))
            }
        }
        Kind::Weights => parse_weights(v).map(|w| format!("{},{},{},{}", w[0], w[1], w[2], w[3])),
        Kind::List => {
            let items = split_list(v);
            if items.is_empty() {
                Err(format!("{name} needs at least one event name (comma separated); use `csf config unset {name}` for the default"))
            } else {
                Ok(items.join(","))
            }
        }
        Kind::Name => {
            if v.is_empty() || v.contains(',') {
                Err(format!("{name} takes one event name, got \"{value}\""))
            } else {
                Ok(v.to_string())
            }
        }
        Kind::Number => match v.parse::<f64>() {
            Ok(f) if f.is_finite() && (f >= 0.0 || name == "targets.nps") => Ok(v.to_string()),
            _ => Err(format!("{name} must be a non-negative number, got \"{value}\"")),
        },
        Kind::Count => match v.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(n.to_string()),
            _ => Err(format!("{name} must be a whole number of at least 1, got \"{value}\"")),
        },
        Kind::EnvName | Kind::SecretFile => secret_ref(name, v, matches!(k.kind, Kind::EnvName)),
    }
}

/// Where a secret is (a variable's name, a file's path), never the secret itself.
fn secret_ref(name: &str, v: &str, env: bool) -> Result<String, String> {
    let what = if env { "an environment variable's name such as CSF_PG_URL" } else { "a file's path" };
    let var_name = v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if v.contains("://") {
        Err(format!(
            "{name} takes {what}, not the URL: a URL holds a password and is never stored — \
                     export CSF_PG_URL='postgres://…' and `csf config set postgres.url_env CSF_PG_URL`"
        ))
    } else if v.is_empty() || env && !var_name {
        Err(format!("{name} takes {what}, got \"{v}\""))
    } else {
        Ok(v.to_string())
    }
}

pub fn parse_weights(v: &str) -> Result<[u32; 4], String> {
    let parts: Vec<&str> = v.split(',').map(str::trim).collect();
    let bad = || {
        format!(
            "health.weights must be four non-negative integers summing to 100 \
             (usage,engagement,satisfaction,payment), e.g. 40,30,20,10; got \"{v}\""
        )
    };
    if parts.len() != 4 {
        return Err(bad());
    }
    let mut w = [0u32; 4];
    for (i, p) in parts.iter().enumerate() {
        w[i] = p.parse().map_err(|_| bad())?;
    }
    if w.iter().sum::<u32>() != 100 {
        return Err(bad());
    }
    Ok(w)
}

pub fn split_list(v: &str) -> Vec<String> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// Every setting with its value in force (stored, else default).
#[derive(Debug, Clone)]
pub struct Settings {
    values: HashMap<String, String>,
}

impl Settings {
    pub fn from_stored(stored: Vec<(String, String)>) -> Settings {
        Settings { values: stored.into_iter().collect() }
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.values.get(name).cloned().or_else(|| key(name).and_then(|k| k.default.map(String::from)))
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    pub fn weights(&self) -> [u32; 4] {
        self.get("health.weights").and_then(|v| parse_weights(&v).ok()).unwrap_or([40, 30, 20, 10])
    }

    pub fn core_features(&self) -> Option<Vec<String>> {
        self.values.get("health.core_features").map(|v| split_list(v))
    }

    pub fn ignore_events(&self) -> Vec<String> {
        split_list(&self.get("health.ignore_events").unwrap_or_default())
    }

    /// A whole-number setting (`today.limit`, `data.stale_days`); the
    /// default when unset. Panics on a name that is not a known key: a
    /// mistyped key is a bug, never a silent 0.
    pub fn count(&self, name: &str) -> u32 {
        let k = key(name).unwrap_or_else(|| panic!("no config key {name}"));
        self.values
            .get(name)
            .and_then(|v| v.parse().ok())
            .or_else(|| k.default.and_then(|d| d.parse().ok()))
            .unwrap_or(1)
    }

    /// A number setting, the default when unset. Panics on a name that is
    /// not a known key: a mistyped key is a bug, never a silent 0
    /// (`tests/it/architecture.rs` checks every key named in the sources).
    pub fn number(&self, name: &str) -> f64 {
        let k = key(name).unwrap_or_else(|| panic!("no config key {name}"));
        self.values
            .get(name)
            .and_then(|v| v.parse().ok())
            .or_else(|| k.default.and_then(|d| d.parse().ok()))
            .unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests;
