//! `csf demo`: a temporary database with example data, and what csf shows of it.

use anyhow::Result;

use crate::context::Ctx;

pub fn run(_ctx: &Ctx) -> Result<()> {
    anyhow::bail!("the demo is not built yet")
}
