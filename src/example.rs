//! The example data of `csf demo` and `csf init --example`, dated relative to now.

use anyhow::Result;
use rusqlite::Connection;

pub fn load(_conn: &mut Connection, _now: i64) -> Result<()> {
    anyhow::bail!("example data is not built yet")
}
