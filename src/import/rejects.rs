//! The rejects file of `import --skip-invalid --rejects PATH`: where it may
//! be written.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

/// `--rejects` never overwrites the database or one of SQLite's companion
/// files (`-wal`, `-shm`, `-journal`, existing yet or not), the input, nor an
/// existing file without `--force`, nor writes through a symlink.
pub fn check_path(p: &Path, db: &Path, input: Option<&Path>, force: bool) -> Result<()> {
    if is_database_file(p, db) {
        bail!(
            "--rejects {} is the database or one of SQLite's files beside it ({}, -wal, -shm, \
             -journal); nothing was imported — choose another path for the rejects",
            p.display(),
            db.display()
        );
    }
    let Ok(meta) = std::fs::symlink_metadata(p) else { return Ok(()) };
    if input.is_some_and(|i| same_file(p, i)) {
        bail!(
            "--rejects {} is the file being imported; nothing was imported — choose another path for the rejects",
            p.display()
        );
    }
    if meta.file_type().is_symlink() {
        bail!("--rejects {} is a symbolic link; nothing was imported — choose a new path", p.display());
    }
    if !meta.is_file() {
        bail!("--rejects {} is not a regular file; nothing was imported — choose a new path", p.display());
    }
    if !force {
        bail!(
            "--rejects {} already exists; nothing was imported — choose a new path, or pass --force to replace it",
            p.display()
        );
    }
    Ok(())
}

/// Both paths name one existing file (device and inode).
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// `p` is the database or one of its companion files: the same file when
/// both exist, or the same name (folder resolved, then the file name) when
/// either does not exist yet.
fn is_database_file(p: &Path, db: &Path) -> bool {
    let with = |suffix: &str| {
        let mut s = db.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    let by_name = |x: &Path| -> Option<PathBuf> {
        let name = x.file_name()?;
        let parent = match x.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Some(std::fs::canonicalize(parent).ok()?.join(name))
    };
    let rejects_name = by_name(p);
    // The database as named and its real path (a symlinked --db has its
    // WAL beside the file it points to).
    let real = std::fs::canonicalize(db).ok();
    let files: Vec<PathBuf> = ["", "-wal", "-shm", "-journal"]
        .iter()
        .flat_map(|x| {
            let real = real.as_ref().map(|r| {
                let mut s = r.as_os_str().to_owned();
                s.push(x);
                PathBuf::from(s)
            });
            std::iter::once(with(x)).chain(real)
        })
        .collect();
    files.into_iter().any(|f| {
        same_file(p, &f)
            || std::fs::canonicalize(p).ok().zip(std::fs::canonicalize(&f).ok()).is_some_and(|(a, b)| a == b)
            || rejects_name.is_some() && rejects_name == by_name(&f)
    })
}

/// A rejected cell as written to the rejects file (opened in spreadsheets):
/// text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) gets a
/// leading `'`, as `-f csv` does; numbers are left alone.
pub(super) fn defuse(cell: &[u8]) -> Vec<u8> {
    let risky = matches!(cell.first(), Some(b'=' | b'+' | b'-' | b'@'));
    let number = std::str::from_utf8(cell).is_ok_and(|s| s.parse::<f64>().is_ok_and(f64::is_finite));
    if risky && !number {
        let mut v = Vec::with_capacity(cell.len() + 1);
        v.push(b'\'');
        v.extend_from_slice(cell);
        v
    } else {
        cell.to_vec()
    }
}
