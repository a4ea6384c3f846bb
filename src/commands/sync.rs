//! `csf sync [stripe | postgres | status]` (docs/sync.md).

use anyhow::{bail, Result};

use crate::cli::sync::{SyncArgs, SyncCmd};
use crate::context::Ctx;
use crate::render::{Rows, Value};
use crate::sources::{self, postgres, stripe, Summary};
use crate::{store, time};

pub fn run(ctx: &Ctx, args: SyncArgs) -> Result<()> {
    match args.source {
        Some(SyncCmd::Stripe { full, dry_run }) => {
            let mut conn = ctx.open_or_create()?;
            let settings = ctx.settings(&conn)?;
            let s = stripe::run(
                &mut conn,
                &settings,
                ctx.now(),
                stripe::Options { full, dry_run, quiet: ctx.quiet },
            )?;
            report(ctx, &s);
            Ok(())
        }
        Some(SyncCmd::Postgres { full, dry_run, skip_invalid, create_missing }) => {
            let mut conn = ctx.open_or_create()?;
            let settings = ctx.settings(&conn)?;
            let opts = postgres::Options { full, dry_run, skip_invalid, create_missing };
            let s = postgres::run(&mut conn, &settings, ctx.now(), opts)?;
            report(ctx, &s);
            Ok(())
        }
        Some(SyncCmd::Status) => status(ctx),
        None => every(ctx),
    }
}

/// `csf sync` alone: every configured source in turn; the first failure stops the run.
fn every(ctx: &Ctx) -> Result<()> {
    let mut conn = ctx.open_or_create()?;
    let settings = ctx.settings(&conn)?;
    let mut ran = 0;
    if stripe::configured(&settings) {
        report(
            ctx,
            &stripe::run(
                &mut conn,
                &settings,
                ctx.now(),
                stripe::Options { quiet: ctx.quiet, ..stripe::Options::default() },
            )?,
        );
        ran += 1;
    }
    if postgres::configured(&settings) {
        report(ctx, &postgres::run(&mut conn, &settings, ctx.now(), postgres::Options::default())?);
        ran += 1;
    }
    if ran == 0 {
        bail!(
            "no source is configured: set STRIPE_API_KEY (or config stripe.key_file) for Stripe, \
             or config postgres.url_env and postgres.usage_query for PostgreSQL (docs/sync.md)"
        );
    }
    Ok(())
}

fn status(ctx: &Ctx) -> Result<()> {
    let conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    let mut rows = Rows::new(&["source", "configured", "last_sync", "age"]);
    for &name in sources::ALL {
        let configured = match name {
            "stripe" => stripe::configured(&settings),
            _ => postgres::configured(&settings),
        };
        let state = store::sync::get(&conn, name)?;
        rows.push(vec![
            Value::text(name).into(),
            Value::Bool(configured).into(),
            state.as_ref().map(|s| Value::Time(s.synced_at)).unwrap_or(Value::Null).into(),
            state
                .as_ref()
                .map(|s| Value::text(time::relative(s.synced_at, ctx.now())))
                .unwrap_or(Value::Null)
                .into(),
        ]);
    }
    ctx.print_rows(&rows)
}

/// The summary on stderr: per kind, requests and time.
fn report(ctx: &Ctx, s: &Summary) {
    for note in &s.notes {
        ctx.info(note);
    }
    let kinds: Vec<String> = s
        .kinds
        .iter()
        .map(|k| {
            format!("{}: {} inserted, {} changed, {} unchanged", k.kind, k.inserted, k.changed, k.unchanged)
        })
        .collect();
    let dry = if s.dry_run { " (dry run: nothing written)" } else { "" };
    ctx.info(format!(
        "{}: {}; {} requests in {:.1} s{dry}",
        s.source,
        kinds.join("; "),
        s.requests,
        s.elapsed_ms as f64 / 1000.0
    ));
}
