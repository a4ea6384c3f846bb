//! Configuration keys (docs/schema.md): their defaults, validation and typed values.

use std::collections::HashMap;

use crate::domain::health::Weights;

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
    /// An IANA time zone name.
    Zone,
    Weights,
    List,
    Name,
    Number,
    /// A whole number ≥ 1.
    Count,
    /// Exactly one email address.
    Email,
    /// The name of an environment variable that holds a secret (never the secret).
    EnvName,
    /// The path of a file that holds a secret (never the secret).
    SecretFile,
    /// An API base URL: `https://`, or plain `http://` to a loopback address only.
    ApiBase,
}

mod keys;
pub use keys::KEYS;

pub fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// Checks `value` for `name`; returns the normalised value or the reason it is refused.
/// What a value that is a secret looks like ("a Stripe API key"), if it is one:
/// a Stripe secret or restricted key, or a URL with a password.
pub fn secret(v: &str) -> Option<&'static str> {
    if ["sk_live_", "sk_test_", "rk_live_", "rk_test_"].iter().any(|p| v.starts_with(p)) {
        return Some("a Stripe API key");
    }
    let (scheme, rest) = v.split_once("://")?;
    let userinfo = rest.split(['/', '?', '#']).next()?.rsplit_once('@')?.0;
    (!scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some(userinfo)
        .and_then(|u| u.split_once(':'))
        .filter(|(_, pw)| !pw.is_empty())
        .map(|_| "a URL with a password")
}

pub fn validate(name: &str, value: &str) -> Result<String, String> {
    let k = key(name).ok_or_else(|| {
        format!(
            "unknown config key \"{name}\"; known keys: {}",
            KEYS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
        )
    })?;
    let v = value.trim();
    // A value may reach a draft's header: no line breaks or control characters.
    crate::domain::contact::check_header_text(name, v)?;
    if let Some(why) = secret(v) {
        return Err(format!(
            "{name}: the value looks like {why}; secrets are never stored in the database — \
             put it in the environment or a 0600 file (docs/sync.md) and set a *_env or *_file key"
        ));
    }
    match k.kind {
        Kind::Email => crate::domain::contact::check_email(v).map(|()| v.to_string()),
        Kind::Text => {
            if v.is_empty() {
                Err(format!("{name} is empty; use `csf config unset {name}` to remove it"))
            } else {
                Ok(v.to_string())
            }
        }
        Kind::Zone => match crate::time::parse_zone(v) {
            Ok(tz) => Ok(tz.name().to_string()),
            Err(e) => Err(format!("timezone: {e}")),
        },
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
        Kind::Number => {
            let (lo, hi, range) = number_range(name);
            match v.parse::<f64>() {
                Ok(f) if f.is_finite() && f >= lo && f <= hi => Ok(v.to_string()),
                _ => Err(format!("{name} must be a number {range}, got \"{value}\"")),
            }
        }
        Kind::Count => match v.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(n.to_string()),
            _ => Err(format!("{name} must be a whole number of at least 1, got \"{value}\"")),
        },
        Kind::EnvName | Kind::SecretFile => secret_ref(name, v, matches!(k.kind, Kind::EnvName)),
        Kind::ApiBase => check_api_base(v).map(|()| v.trim_end_matches('/').to_string()),
    }
}

/// The bounds of a number key and how they read: a response or resolution
/// target from 1 minute to 90 days, the NPS from −100 to 100, a percentage
/// from 0 to 100, anything else not negative.
fn number_range(name: &str) -> (f64, f64, &'static str) {
    if name.ends_with("_hours") {
        (1.0 / 60.0, 90.0 * 24.0, "of hours from 1 minute (0.0167) to 90 days (2160)")
    } else if name == "targets.nps" {
        (-100.0, 100.0, "from -100 to 100")
    } else if name.ends_with("_percent") {
        (0.0, 100.0, "from 0 to 100 (percent)")
    } else {
        (0.0, f64::MAX, "of at least 0")
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

pub fn parse_weights(v: &str) -> Result<Weights, String> {
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
    Ok(Weights(w))
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

    pub fn weights(&self) -> Weights {
        self.get("health.weights").and_then(|v| parse_weights(&v).ok()).unwrap_or(Weights::DEFAULT)
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
