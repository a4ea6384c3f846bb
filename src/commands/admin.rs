//! `csf init`, `backup`, `restore`, `check`, `completions`, `man`.

use std::path::Path;

use crate::cli;
use crate::context::Ctx;
use crate::render::{self, out};
use crate::{example, store};
use anyhow::{bail, Result};

pub fn init(ctx: &Ctx, with_example: bool) -> Result<()> {
    let existed = ctx.db_path.exists();
    let mut conn = ctx.open_or_create()?;
    if with_example {
        example::load(&mut conn, ctx.now())?;
    }
    let what = if existed { "Using the existing database" } else { "Created the database" };
    ctx.info(format!("{what} {}", ctx.db_path.display()));
    ctx.info(
        "Next:\n  csf import customers customers.csv   (id, name, email, plan, mrr, signed_up_at)\n  \
         csf import usage events.csv          (customer, timestamp, event)\n  \
         csf health score                     (nightly, from cron)\n  \
         csf report plan > docs/cs-plan.md",
    );
    Ok(())
}

pub fn backup(ctx: &Ctx, path: &Path, force: bool) -> Result<()> {
    let conn = ctx.open()?;
    store::backup(&conn, path, force)?;
    ctx.info(format!("Backed up {} to {}", ctx.db_path.display(), path.display()));
    Ok(())
}

/// Puts a backup in place (docs/reliability.md); may create a missing database.
pub fn restore(ctx: &Ctx, backup: &Path) -> Result<()> {
    let r = store::restore(&ctx.db_path, backup)?;
    let kept = match &r.kept {
        Some(k) => format!("; the old file is kept as {}", k.display()),
        None => String::new(),
    };
    ctx.info(format!(
        "Restored {} (schema {}) to {}{kept}",
        backup.display(),
        r.version,
        ctx.db_path.display()
    ));
    Ok(())
}

pub fn check(ctx: &Ctx) -> Result<()> {
    let conn = ctx.open()?;
    let problems = store::check(&conn)?;
    let flagged = store::customers::negative_mrr(&conn)?;
    if !flagged.is_empty() {
        // Data to correct, not damage: named, and the check still passes.
        eprintln!("{}", render::customer::flagged_by_check(&flagged));
    }
    if problems.is_empty() {
        out(&format!("ok: {} passed the integrity and foreign key checks\n", ctx.db_path.display()))
    } else {
        for p in problems.iter().take(50) {
            eprintln!("{p}");
        }
        bail!(
            "{} has {} problem(s); put a backup back with `csf restore BACKUP` (`csf backup` makes \
             one) or run `sqlite3 {} .recover` to salvage the data",
            ctx.db_path.display(),
            problems.len(),
            ctx.db_path.display()
        )
    }
}

pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cli::command(), "csf", &mut buf);
    out(&String::from_utf8_lossy(&buf))
}

pub fn man() -> Result<()> {
    out(&cli::man::page(cli::command())?)
}
