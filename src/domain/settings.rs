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
    /// An API base URL: `https://`, or plain `http://` to a loopback address only.
    ApiBase,
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
        name: "data.stale_days",
        default: Some("3"),
        kind: Kind::Count,
        help: "days after which usage data counts as stale: `csf today` asks for an import first",
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
        Kind::ApiBase => check_api_base(v).map(|()| v.trim_end_matches('/').to_string()),
    }
}

/// An API base is `https://…`, or `http://` to a loopback address (a test
/// server on this machine): a key never travels in clear over a network.
pub fn check_api_base(v: &str) -> Result<(), String> {
    if let Some(rest) = v.strip_prefix("https://") {
        return if rest.is_empty() { Err(format!("\"{v}\" has no host")) } else { Ok(()) };
    }
    let Some(rest) = v.strip_prefix("http://") else {
        return Err(format!("an API base must start with https:// (got \"{v}\")"));
    };
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(h) => h.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    loopback.then_some(()).ok_or_else(|| {
        format!("plain http:// is allowed only to a loopback address (127.0.0.1, ::1, localhost), got \"{v}\"; use https:// for any other host")
    })
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
mod tests {
    use super::*;

    #[test]
    fn weights_must_be_four_integers_summing_to_100() {
        assert_eq!(validate("health.weights", "50, 20,20,10"), Ok("50,20,20,10".into()));
        for bad in ["40,30,20", "40,30,20,11", "-10,60,40,10", "a,b,c,d", "40.5,29.5,20,10"] {
            assert!(validate("health.weights", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_keys_and_bad_numbers_are_refused() {
        assert!(validate("health.colour", "x").unwrap_err().contains("known keys"));
        assert!(validate("targets.csat_percent", "-1").is_err());
        assert!(validate("targets.nps", "-10").is_ok());
        assert!(validate("health.core_features", " , ").is_err());
    }

    #[test]
    fn defaults_apply_until_set() {
        let s = Settings::from_stored(vec![("targets.nps".into(), "30".into())]);
        assert_eq!(s.number("targets.nps"), 30.0);
        assert_eq!(s.number("targets.csat_percent"), 90.0);
        assert_eq!(s.weights(), [40, 30, 20, 10]);
        assert_eq!(s.core_features(), None);
        assert_eq!(s.ignore_events(), vec!["login", "setup_complete"]);
        assert_eq!((s.count("today.limit"), s.count("data.stale_days")), (10, 3));
        let s = Settings::from_stored(vec![("today.limit".into(), "25".into())]);
        assert_eq!(s.count("today.limit"), 25);
        assert!(validate("today.limit", "0").unwrap_err().contains("at least 1"));
        assert!(validate("data.stale_days", "2.5").is_err());
    }

    #[test]
    fn an_api_base_is_https_or_loopback_http() {
        assert_eq!(
            validate("stripe.api_base", "https://api.stripe.com/v1/"),
            Ok("https://api.stripe.com/v1".into())
        );
        for ok in ["http://127.0.0.1:12111/v1", "http://[::1]:80/v1", "http://localhost/v1"] {
            assert!(validate("stripe.api_base", ok).is_ok(), "{ok}");
        }
        assert!(validate("stripe.api_base", "http://api.stripe.com/v1").unwrap_err().contains("loopback"));
        assert!(
            check_api_base("http://127.0.0.1.evil.com/v1").is_err() && check_api_base("ftp://x").is_err()
        );
    }
}
