//! `csf import KIND FILE` (docs/import.md).

use std::fs::File;
use std::io::Read;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};

use crate::cli::import::ImportArgs;
use crate::context::Ctx;
use crate::import::{self, presets, ImportKind, ImportOptions};
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
        delimiter: delimiter(&args.delimiter)?,
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
    let stdin = file.as_os_str() == "-";
    let source = if stdin { "<stdin>".to_string() } else { file.display().to_string() };
    let (input, size): (Box<dyn Read>, Option<u64>) = if stdin {
        // Spooled to a private temporary file first, so that the write lock
        // is not held while a slow producer is still writing.
        (Box::new(spool_stdin()?), None)
    } else {
        let f = File::open(&file).with_context(|| {
            format!("could not open {source}; check the path (use - to read standard input)")
        })?;
        if f.metadata()?.is_dir() {
            bail!("{source} is a directory; pass a CSV file");
        }
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
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
    let result = import::import(&mut conn, kind, input, &source, &opts, ctx.now(), progress.as_ref());
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    // A failed import writes no rejects: they go to a temporary file beside
    // the target, renamed into place only after the import commits.
    let s = result?;
    let created = if s.customers_created > 0 {
        format!(", {} created", render::count(s.customers_created as i64, "customer"))
    } else {
        String::new()
    };
    let took = started.elapsed().as_secs_f64();
    let kind = kind.name();
    ctx.info(if opts.dry_run {
        format!(
            "{kind} (dry run, nothing written): {} read, would insert {}, change {}, leave {} unchanged, skip {}{created} ({source})",
            render::count(s.rows_read as i64, "row"), s.inserted, s.updated, s.unchanged, s.skipped
        )
    } else {
        format!(
            "{kind}: {} read, {} inserted, {} changed, {} unchanged, {} skipped{created} in {took:.2} s ({source})",
            render::count(s.rows_read as i64, "row"), s.inserted, s.updated, s.unchanged, s.skipped
        )
    });
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

/// Standard input copied to an unlinked, private temporary file.
fn spool_stdin() -> Result<File> {
    use std::io::{Seek, SeekFrom};
    let path = std::env::temp_dir().join(format!(
        "csf-stdin-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
    ));
    let mut o = std::fs::OpenOptions::new();
    o.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f =
        o.open(&path).with_context(|| format!("could not create a temporary file {}", path.display()))?;
    let _ = std::fs::remove_file(&path); // the open handle keeps it until csf exits
    copy_lines_bounded(&mut std::io::stdin().lock(), &mut f)?;
    f.seek(SeekFrom::Start(0))?;
    Ok(f)
}

/// Copies standard input, stopping at once at a line longer than
/// [`import::MAX_RECORD`] (the importer's own limit), so that endless input
/// without line ends (`cat /dev/zero`) neither fills the disk nor waits.
fn copy_lines_bounded(input: &mut impl Read, out: &mut impl std::io::Write) -> Result<()> {
    let mut buf = vec![0u8; 1 << 16];
    let (mut line, mut len, mut after_cr) = (1u64, 0u64, false);
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).context("could not read standard input"),
        };
        for &b in &buf[..n] {
            match b {
                b'\r' => (line, len) = (line + 1, 0),
                b'\n' if after_cr => {}
                b'\n' => (line, len) = (line + 1, 0),
                _ => len += 1,
            }
            after_cr = b == b'\r';
            if len > import::MAX_RECORD {
                bail!("<stdin>:{}", import::too_long_message(line, "a line"));
            }
        }
        out.write_all(&buf[..n]).context("could not spool standard input to a temporary file")?;
    }
}

fn delimiter(s: &str) -> Result<u8> {
    match s {
        "\\t" | "\t" | "tab" | "TAB" => Ok(b'\t'),
        s if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => Ok(s.as_bytes()[0]),
        _ => bail!("--delimiter \"{s}\" must be one ASCII character such as , or ; (or \\t / tab)"),
    }
}
