//! `health tune --apply`: the weights it writes, or, when it does not apply,
//! the weights in force — both read inside a write transaction, so a
//! `config set` made while tune ran is kept and named.

use anyhow::{bail, Context as _, Result};
use rusqlite::Connection;

use super::weights_text;
use crate::domain::health::Weights;
use crate::domain::settings::Settings;
use crate::store::{self, config};

/// Saves `weights` as `health.weights`, but only if the stored value is still
/// `read` (the text tune started from; `None` when unset), checked inside the
/// write transaction: a `config set` made while tune ran is kept, never lost.
pub fn apply(conn: &mut Connection, read: Option<&str>, weights: Weights) -> Result<()> {
    let v = weights_text(weights);
    store::write(conn, |tx| {
        let stored = config::get(tx, "health.weights")?;
        if stored.as_deref() != read {
            bail!(
                "health.weights was changed to {} while tune ran (tune started from {}); nothing was \
                 applied and the new value is kept — run `csf health tune --apply` again to tune from it",
                stored.as_deref().unwrap_or("the default (unset)"),
                read.unwrap_or("the default (unset)")
            );
        }
        config::set(tx, "health.weights", &v).context("could not save health.weights")
    })
}

/// The weights scores use after a tune that did not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    pub weights: Weights,
    /// The stored text (`None`: unset, the default is in force).
    pub stored: Option<String>,
    /// The stored text is no longer the one tune started from.
    pub changed: bool,
    /// The stored text is not four weights summing to 100: the default is in force.
    pub invalid: bool,
}

/// What is in force now, read inside a write transaction: a `config set`
/// committed while tune ran is seen, and one under way is waited for.
pub fn in_force(conn: &mut Connection, read: Option<&str>) -> Result<InForce> {
    let stored = store::write(conn, |tx| config::get(tx, "health.weights"))?;
    let settings =
        Settings::from_stored(stored.iter().map(|v| ("health.weights".to_string(), v.clone())).collect());
    let invalid = stored.as_deref().is_some_and(|v| crate::domain::settings::parse_weights(v).is_err());
    Ok(InForce { weights: settings.weights(), changed: stored.as_deref() != read, stored, invalid })
}
