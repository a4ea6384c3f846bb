//! `csf import KIND FILE` (docs/import.md).

use std::time::Instant;

use anyhow::{anyhow, bail, Result};

use crate::cli::import::ImportArgs;
use crate::context::Ctx;
use crate::import::{self, input, presets, ImportKind, ImportOptions};
use crate::render::{self, Rows};

pub fn run(ctx: &Ctx, args: ImportArgs) -> Result<()> {
    if args.list_presets {
        return list_presets(ctx);
    }
    let (Some(kind), Some(file)) = (args.kind.map(ImportKind::from), args.file.clone()) else {
        // unreachable from the CLI: clap requires KIND and FILE unless
        // --list-presets, which returned above
        bail!("say what to import: csf import KIND FILE (or csf import --list-presets)");
    };
    let preset = match &args.from {
        None => None,
        Some(name) => {
            let p = presets::find(name).ok_or_else(|| {
                anyhow!(
                    "no preset \"{name}\"; the presets are {} (csf import --list-presets)",
                    presets::PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
                )
            })?;
            if p.kind != kind {
                bail!(
                    "the {} preset imports {}, not {}: csf import {} FILE --from {}",
                    p.name,
                    p.kind.name(),
                    kind.name(),
                    p.kind.name(),
                    p.name
                );
            }
            Some(p)
        }
    };
    let opts = ImportOptions {
        map: args
            .map
            .iter()
            .map(|m| {
                m.split_once('=').map(|(f, h)| (f.trim().to_string(), h.to_string())).ok_or_else(|| {
                    anyhow!("--map \"{m}\" is not FIELD=HEADER, e.g. --map score='How likely...'")
                })
            })
            .collect::<Result<_>>()?,
        delimiter: input::delimiter(&args.delimiter)?,
        create_missing: args.create_missing,
        skip_invalid: args.skip_invalid,
        rejects: args.rejects.clone(),
        force_rejects: args.force,
        dry_run: args.dry_run,
        preset,
        date_format: args.date_format.clone(),
    };
    if let Some(f) = &opts.date_format {
        crate::time::check_date_format(f).map_err(|e| anyhow!(e))?;
    }
    let input::Input { reader, size, source, stdin } = input::open(&file)?;
    if let Some(p) = &args.rejects {
        import::rejects::check_path(p, &ctx.db_path, (!stdin).then_some(file.as_path()), args.force)?;
    }
    let progress = (ctx.show_progress() && size.is_some_and(|s| s > 4 << 20)).then(|| {
        let pb = indicatif::ProgressBar::new(size.unwrap_or(0));
        pb.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        pb.set_message(format!("importing {}", kind.name()));
        pb
    });
    let mut conn = ctx.open_or_create()?;
    let started = Instant::now();
    let result = import::import(&mut conn, kind, reader, &source, &opts, ctx.now(), progress.as_ref());
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    // A failed import writes no rejects: they go to a temporary file beside
    // the target, renamed into place only after the import commits.
    let s = result?;
    ctx.info(render::import::said(kind.name(), &s, opts.dry_run, started.elapsed().as_secs_f64(), &source));
    if let Some(p) = &args.rejects {
        if s.skipped > 0 && !opts.dry_run {
            ctx.info(format!("skipped rows written to {}", p.display()));
        }
    }
    Ok(())
}

fn list_presets(ctx: &Ctx) -> Result<()> {
    let mut rows = Rows::new(&["preset", "kind", "export", "headers"]);
    for p in presets::PRESETS {
        let headers: Vec<String> =
            p.headers.iter().map(|(f, h)| format!("{f} ← {}", h.join(" | "))).collect();
        rows.push(vec![p.name.into(), p.kind.name().into(), p.about.into(), headers.join("; ").into()]);
    }
    ctx.print_rows(&rows)
}
