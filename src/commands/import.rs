//! `csf import KIND FILE` (SPEC §3).

use anyhow::{bail, Result};

use crate::cli::import::ImportArgs;
use crate::context::Ctx;

pub fn run(_ctx: &Ctx, args: ImportArgs) -> Result<()> {
    bail!("import of {} is not built yet", args.kind.name())
}
