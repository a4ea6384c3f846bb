//! `csf backup` and `csf restore`: a checked, consistent copy out, and a
//! checked copy put back in place atomically, the old file kept.

use std::fs::OpenOptions;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rusqlite::Connection;

use super::reader::{companion, open_reader};

/// `csf backup`: a consistent copy through SQLite's backup API, mode 0600.
/// A file that fails `integrity_check` is not copied unless `force`.
pub fn backup(conn: &Connection, dest: &Path, force: bool) -> Result<()> {
    if let Ok(m) = std::fs::symlink_metadata(dest) {
        let what = if m.file_type().is_symlink() { "is a symbolic link" } else { "already exists" };
        bail!("{} {what}; it was left untouched — choose a new path for the backup", dest.display());
    }
    if !force {
        let problems = problems_of(conn);
        if !problems.is_empty() {
            bail!(
                "{} fails the integrity check ({}); no backup was written — a copy would keep the \
                 damage: run `csf check` to see it and `csf restore BACKUP` to put an older backup \
                 back, or pass --force to copy it as it is",
                conn.path().unwrap_or_default(),
                summary(&problems)
            );
        }
    }
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(dest).with_context(|| format!("could not create the backup {}", dest.display()))?;
    let result = copy_into(conn, dest);
    if let Err(e) = result {
        let _ = std::fs::remove_file(dest);
        return Err(e.context(format!("could not write the backup {}", dest.display())));
    }
    Ok(())
}

fn copy_into(src: &Connection, dest: &Path) -> Result<()> {
    let mut dst = Connection::open(dest)?;
    let b = rusqlite::backup::Backup::new(src, &mut dst)?;
    b.run_to_completion(1024, std::time::Duration::from_millis(10), None)?;
    Ok(())
}

/// What `integrity_check` and the foreign key check find; an error from
/// the check itself (a page too damaged to read) is a problem too.
fn problems_of(conn: &Connection) -> Vec<String> {
    super::check(conn).unwrap_or_else(|e| vec![format!("integrity: {e:#}")])
}

fn summary(problems: &[String]) -> String {
    let mut s = problems.iter().take(3).cloned().collect::<Vec<_>>().join("; ");
    if problems.len() > 3 {
        s.push_str(&format!("; and {} more", problems.len() - 3));
    }
    s
}

/// What `csf restore` did.
pub struct Restored {
    /// The schema version of the backup (the file is upgraded when opened).
    pub version: i64,
    /// Where the replaced database was kept, if there was one.
    pub kept: Option<PathBuf>,
}

/// `csf restore BACKUP`: checks the backup (a csf file, its integrity),
/// copies it beside the database, takes the write lock, keeps the old file
/// (and a WAL or journal it had) as `NAME.before-restore`, removes the stale
/// `-wal`, `-shm` and `-journal`, and renames the copy into place.
pub fn restore(db: &Path, backup: &Path) -> Result<Restored> {
    let nothing = "nothing was restored";
    let meta = std::fs::metadata(backup).with_context(|| {
        format!("could not read the backup {}; {nothing} — check the path", backup.display())
    })?;
    if !meta.is_file() {
        bail!("{} is not a regular file; {nothing} — pass a backup made by `csf backup`", backup.display());
    }
    // The database itself resolved (a symlinked --db is restored where it points).
    let db = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    if same_file(&db, backup) {
        bail!("{} is the database itself; {nothing} — pass a backup made by `csf backup`", backup.display());
    }
    if !has_sqlite_header(backup)? {
        bail!(
            "{} is not a SQLite database; {nothing} — pass a backup made by `csf backup`",
            backup.display()
        );
    }
    let src = open_reader(backup)?;
    let version = super::refuse_foreign(&src, backup).map_err(|e| e.context(nothing))?;
    if version == 0 {
        bail!("{} is an empty SQLite file, not a csf backup; {nothing}", backup.display());
    }
    let problems = problems_of(&src);
    if !problems.is_empty() {
        bail!(
            "the backup {} fails the integrity check ({}); {nothing} — use another backup",
            backup.display(),
            summary(&problems)
        );
    }
    let live = lock_live(&db)?;
    let dir = match db.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("could not create the folder {}", dir.display()))?;
    // A private copy beside the database (same filesystem: the rename is atomic).
    let tmp = tempfile::Builder::new()
        .prefix(".csf-restore-")
        .tempfile_in(&dir)
        .with_context(|| format!("could not write in {}; {nothing}", dir.display()))?;
    copy_into(&src, tmp.path()).with_context(|| format!("could not copy the backup; {nothing}"))?;
    tmp.as_file().sync_all()?;
    let kept = if db.exists() { Some(keep_old(&db)?) } else { None };
    for sfx in ["-wal", "-shm", "-journal"] {
        let f = companion(&db, sfx);
        if f.exists() {
            std::fs::remove_file(&f).with_context(|| {
                format!("could not remove the stale {}; {nothing} (the old file is kept)", f.display())
            })?;
        }
    }
    tmp.persist(&db).map_err(|e| {
        anyhow::anyhow!("could not put the copy in place at {}: {}; {nothing}", db.display(), e.error)
    })?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all(); // the rename itself survives a power loss
    }
    drop(live); // rolls back the empty transaction; closing never checkpoints
    drop(super::open(&db)?); // upgraded to this csf's schema, in WAL mode
    Ok(Restored { version, kept })
}

/// The write lock on the live database, if there is one that SQLite can
/// open; a damaged file is replaced without it (it is kept). A file that is
/// not csf's is refused as it is.
fn lock_live(db: &Path) -> Result<Option<Connection>> {
    let nothing = "nothing was restored";
    if !db.exists() {
        return Ok(None);
    }
    if std::fs::metadata(db)?.len() > 0 && !has_sqlite_header(db)? {
        bail!("{} is not a SQLite database; it was left untouched and {nothing}", db.display());
    }
    if let Err(e) = open_reader(db).and_then(|c| super::refuse_foreign(&c, db)) {
        if !super::is_damaged(&e) {
            return Err(e.context(nothing));
        }
    }
    let conn = Connection::open(db).with_context(|| format!("could not open {}", db.display()))?;
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    conn.busy_timeout(super::busy_timeout())?;
    match conn.execute_batch("BEGIN IMMEDIATE") {
        Ok(()) => Ok(Some(conn)),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(anyhow::Error::new(e)).with_context(|| {
            format!(
                "could not take the write lock on {} (is a long job running?); {nothing} — run it again \
                 when the job is done",
                db.display()
            )
        }),
    }
}

/// Hard links the database (and a WAL or journal holding data) as
/// `NAME.before-restore`, so the old state opens as it was.
fn keep_old(db: &Path) -> Result<PathBuf> {
    let kept = companion(db, ".before-restore");
    for sfx in ["", "-wal", "-shm", "-journal"] {
        if std::fs::symlink_metadata(companion(&kept, sfx)).is_ok() {
            bail!(
                "{} already exists (from an earlier restore); nothing was restored — move it away first",
                companion(&kept, sfx).display()
            );
        }
    }
    std::fs::hard_link(db, &kept).with_context(|| {
        format!("could not keep the old database as {}; nothing was restored", kept.display())
    })?;
    for sfx in ["-wal", "-journal"] {
        let f = companion(db, sfx);
        if std::fs::metadata(&f).is_ok_and(|m| m.len() > 0) {
            std::fs::hard_link(&f, companion(&kept, sfx)).with_context(|| {
                format!(
                    "could not keep the old {} beside {}; nothing was restored",
                    f.display(),
                    kept.display()
                )
            })?;
        }
    }
    Ok(kept)
}

fn has_sqlite_header(p: &Path) -> Result<bool> {
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(p).with_context(|| format!("could not read {}", p.display()))?;
    let n = f.read(&mut head)?;
    Ok(n == 16 && &head == b"SQLite format 3\0")
}

fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}
