//! The SQLite side: opening the file safely, pragmas, migrations, and one
//! module per table group with the queries it needs.

pub mod backfill;
pub mod backtest;
pub mod billing;
pub mod churn;
pub mod config;
pub mod customers;
pub mod evidence;
mod faults;
pub mod health;
pub mod onboarding;
pub mod profile;
mod reader;
pub mod reports;
mod restore;
pub mod revenue;
pub mod sequences;
pub use faults::{damaged, is_damaged, storage_error};
pub use reader::companion;
pub use restore::{backup, restore, Restored};
mod shape;
pub mod skips;
pub mod sync;
pub mod tickets;
pub mod touches;
pub mod trends;
pub mod usage;

use std::fs::OpenOptions;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};
use rusqlite::{Connection, OpenFlags};

/// Numbered schema steps; `user_version` is the count applied.
/// Never edit a released step: add the next one.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_reliance.sql"),
    include_str!("migrations/003_morning.sql"),
    include_str!("migrations/004_evidence.sql"),
    include_str!("migrations/005_quick_checks.sql"),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another (a cron job and a person may overlap).
pub const BUSY_TIMEOUT_MS: u64 = 60_000;

/// [`BUSY_TIMEOUT_MS`], or the milliseconds in the hidden `CSF_BUSY_TIMEOUT_MS`
/// (a test and operations knob, docs/reliability.md).
pub fn busy_timeout() -> std::time::Duration {
    let ms = std::env::var("CSF_BUSY_TIMEOUT_MS").ok().and_then(|v| v.trim().parse().ok());
    std::time::Duration::from_millis(ms.unwrap_or(BUSY_TIMEOUT_MS))
}

/// Opens (creating if needed) the csf database at `path`, refusing files that
/// are not SQLite or come from a newer csf, and migrating older ones forward.
pub fn open(path: &Path) -> Result<Connection> {
    let exists = path.exists();
    // A device, FIFO or socket is never opened (a FIFO would block, a device
    // could be written): refused before any open, chmod or journal.
    if let Ok(m) = std::fs::metadata(path) {
        let t = m.file_type();
        if !t.is_file() && !t.is_dir() {
            use std::os::unix::fs::FileTypeExt;
            let what = if t.is_fifo() {
                "a FIFO (named pipe)"
            } else if t.is_socket() {
                "a socket"
            } else if t.is_char_device() || t.is_block_device() {
                "a device"
            } else {
                "not a regular file"
            };
            bail!(
                "{} is {what}, not a database file; it was left untouched — pass --db with a file path",
                path.display()
            );
        }
    }
    if exists {
        check_is_sqlite(path)?;
        // Probed read-only first: a file that is not csf's (or is newer) is
        // refused before a read-write open could checkpoint its WAL.
        let reader = reader::open_reader(path)?;
        let version = refuse_foreign(&reader, path)?;
        drop(reader);
        let shm_was_there = companion(path, "-shm").exists();
        let conn = open_read_write(path)?;
        return match conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)) {
            Ok(_) => prepare(conn, path, version),
            // On a read-only filesystem SQLite cannot make the WAL's shared-memory
            // file: read without writing instead (nothing can change it there).
            Err(e) if reader::is_read_only(&e) => prepare(reader::open_reader(path)?, path, version),
            // Nor on a full disk: read the same way; a write names the full disk.
            Err(e) if faults::full_on_open(&conn, &e, path).is_some() => {
                drop(conn);
                if !shm_was_there {
                    faults::remove_part_made_shm(path);
                }
                prepare(reader::open_reader(path)?, path, version)
            }
            Err(e) => Err(e).with_context(|| format!("{} is not a usable SQLite database", path.display())),
        };
    }
    create_private_file(path)?;
    let conn = open_read_write(path)?;
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    prepare(conn, path, version)
}

fn open_read_write(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("could not open the database {}", path.display()))?;
    conn.busy_timeout(busy_timeout())?;
    Ok(conn)
}

/// The file's schema version, or the refusal of a file that is not csf's
/// (a foreign table, a negative or newer version). Reads only.
pub fn refuse_foreign(conn: &Connection, path: &Path) -> Result<i64> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .with_context(|| format!("{} is not a usable SQLite database", path.display()))?;
    if version < 0 {
        bail!(
            "{} has schema version {version}, which no csf writes; it was left untouched — pass \
             --db with the path of a csf database",
            path.display()
        );
    }
    if version > SCHEMA_VERSION {
        bail!(
            "{} has schema version {version}, newer than this csf understands ({SCHEMA_VERSION}); \
             it was left untouched — upgrade csf to use it",
            path.display()
        );
    }
    if let Some(why) = shape::foreign_shape(conn, version)? {
        bail!(
            "{} is a SQLite database but not a csf one ({why}); it was left untouched — pass \
             --db with a new path",
            path.display()
        );
    }
    Ok(version)
}

/// Pragmas and migrations on a csf file known to be at `version`.
fn prepare(conn: Connection, path: &Path, version: i64) -> Result<Connection> {
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        // A read-only file or filesystem: reading commands work; a write says why it cannot.
        if version < SCHEMA_VERSION {
            if let Some(why) = faults::full_at_open(path) {
                bail!(
                    "cannot upgrade {} to this csf's schema: the disk is full ({why}); nothing was \
                     changed — free some space and run it again",
                    path.display()
                );
            }
            bail!(
                "cannot upgrade {} to this csf's schema: it is read-only (a read-only file or filesystem); \
                 open it once where it can be written",
                path.display()
            );
        }
        conn.pragma_update(None, "cache_size", -32_768)?;
        return Ok(conn);
    }
    conn.pragma_update(None, "journal_mode", "WAL").context("could not switch the database to WAL mode")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // FULL keeps every commit durable across power loss; one commit per command makes it cheap.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // A 32 MiB page cache: big enough for imports, small enough that memory
    // stays flat (well under 64 MB) whatever the file size.
    conn.pragma_update(None, "cache_size", -32_768)?;
    migrate(&conn, version).with_context(|| format!("could not upgrade {}", path.display()))?;
    Ok(conn)
}

fn check_is_sqlite(path: &Path) -> Result<()> {
    let mut f = std::fs::File::open(path)
        .with_context(|| format!("could not read the database {}", path.display()))?;
    if f.metadata()?.is_dir() {
        bail!("{} is a directory; pass --db with a file path", path.display());
    }
    let mut head = [0u8; 16];
    let n = f.read(&mut head)?;
    if n == 0 {
        // An empty file becomes a new database: private, like a created one.
        #[cfg(unix)]
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .with_context(|| format!("could not make {} private (mode 0600)", path.display()))?;
        return Ok(());
    }
    if n < 16 || &head != b"SQLite format 3\0" {
        bail!(
            "{} is not a SQLite database; it was left untouched — pass --db with the path of a \
             csf database, or a new path to create one",
            path.display()
        );
    }
    Ok(())
}

/// Creates an empty file readable only by its owner (it holds customer data),
/// with its parent folders.
pub fn create_private_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create the folder {}", dir.display()))?;
    }
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(anyhow::Error::new(e))
            .with_context(|| format!("could not create the database {}", path.display())),
    }
}

/// The step that sets a negative MRR to 0 and flags the customer.
const NEGATIVE_MRR_STEP: i64 = 4;

/// The customers whose negative MRR this process's upgrade flagged: for the
/// command line to say once, on stderr.
static FLAGGED_ON_UPGRADE: std::sync::Mutex<Vec<(String, crate::money::Cents)>> =
    std::sync::Mutex::new(Vec::new());

/// Takes the customers flagged by an upgrade in this process (see [`FLAGGED_ON_UPGRADE`]).
pub fn flagged_on_upgrade() -> Vec<(String, crate::money::Cents)> {
    std::mem::take(&mut *FLAGGED_ON_UPGRADE.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
}

fn migrate(conn: &Connection, from: i64) -> Result<()> {
    if from >= SCHEMA_VERSION {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    // Another process may have migrated while we waited for the lock.
    let now_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let result = (|| -> Result<()> {
        for (i, step) in MIGRATIONS.iter().enumerate().skip(now_version as usize) {
            conn.execute_batch(step).with_context(|| format!("schema step {} failed", i + 1))?;
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        if now_version > 0 && now_version < NEGATIVE_MRR_STEP {
            let flagged = customers::negative_mrr(conn)?;
            *FLAGGED_ON_UPGRADE.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = flagged;
        }
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(())
}

/// A migrated in-memory database (for the fuzz target and experiments).
pub fn open_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&conn, 0)?;
    Ok(conn)
}

/// `csf check`: integrity and foreign keys; returns the problems found.
pub fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut st = conn.prepare("PRAGMA integrity_check")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    for r in rows {
        let r = r?;
        if r != "ok" {
            problems.push(format!("integrity: {r}"));
        }
    }
    let mut st = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = st.query_map([], |r| {
        Ok(format!(
            "foreign key: table {} row {} refers to a missing row in {}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?.map_or("?".into(), |v| v.to_string()),
            r.get::<_, String>(2)?
        ))
    })?;
    for r in rows {
        problems.push(r?);
    }
    Ok(problems)
}

/// Integer ids as an SQL list for `IN (...)` (ids come from the database,
/// never from user text); `-1`, which matches nothing, when empty.
pub fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        "-1".into()
    } else {
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    }
}

/// Runs `f` in one IMMEDIATE transaction: everything or nothing. A read-only
/// database or a full disk is named as such, never as a locked or broken file.
pub fn write<T>(conn: &mut Connection, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
    let path = conn.path().unwrap_or_default().to_string();
    let run = |conn: &mut Connection| -> Result<T> {
        let tx = rusqlite::Transaction::new(conn, rusqlite::TransactionBehavior::Immediate)
            .context("could not start a write transaction (is the database locked by a long job?)")?;
        let v = f(&tx)?;
        tx.commit().context("could not commit to the database")?;
        Ok(v)
    };
    run(conn).map_err(|e| storage_error(e, &path))
}

/// Money columns (`*_cents`) read and written as [`Cents`](crate::money::Cents).
impl rusqlite::ToSql for crate::money::Cents {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl rusqlite::types::FromSql for crate::money::Cents {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        i64::column_result(v).map(crate::money::Cents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_new_file_to_the_current_version() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b/csf.db");
        let c = open(&p).unwrap();
        let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        drop(c);
        let c = open(&p).unwrap(); // reopening is a no-op
        let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        assert!(check(&c).unwrap().is_empty());
    }
}
