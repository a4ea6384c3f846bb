//! `csf sync postgres` (docs/sync.md): usage and customers from the founder's
//! own PostgreSQL database, read-only, with their queries.

use anyhow::{bail, Result};
use rusqlite::Connection;

use super::Summary;
use crate::domain::settings::Settings;

/// Options of one run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub full: bool,
    pub dry_run: bool,
    pub skip_invalid: bool,
    pub create_missing: bool,
}

/// Whether the source is configured (`postgres.url_env` or `postgres.url_file`, and a usage query).
pub fn configured(settings: &Settings) -> bool {
    let _ = settings;
    false
}

/// Runs one sync: everything it writes commits in one transaction with its cursor.
pub fn run(conn: &mut Connection, settings: &Settings, now: i64, opts: Options) -> Result<Summary> {
    let _ = (conn, settings, now, opts);
    bail!("csf sync postgres is not built yet")
}
