//! Naming a storage fault once for every command: a read-only file or
//! filesystem, a full disk (also one found when SQLite cannot make the WAL's
//! `-shm` at open), a damaged page.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{ffi, Connection, ErrorCode};

/// The database this process opened for reading only because the disk was
/// full, and why (the file SQLite could not make and the system's words).
static FULL_AT_OPEN: Mutex<Option<(std::path::PathBuf, String)>> = Mutex::new(None);

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || std::fs::canonicalize(a).ok().zip(std::fs::canonicalize(b).ok()).is_some_and(|(a, b)| a == b)
}

/// Why a write to `path` cannot happen on the full disk found at open, if it was.
pub(super) fn full_at_open(path: &Path) -> Option<String> {
    let g = FULL_AT_OPEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    g.as_ref().filter(|(p, _)| same_file(p, path)).map(|(_, why)| why.clone())
}

/// The first read of a read-write open failed for lack of room (SQLite could
/// not size the `-shm`, `SQLITE_IOERR_SHMSIZE`, or the system said ENOSPC or
/// EDQUOT): what SQLite could not do and the system's words. Recorded, so
/// a later write names the full disk.
pub(super) fn full_on_open(conn: &Connection, e: &rusqlite::Error, path: &Path) -> Option<String> {
    const ENOSPC: i32 = 28;
    const EDQUOT: i32 = 122;
    let rusqlite::Error::SqliteFailure(f, _) = e else { return None };
    // SAFETY: the handle is the open connection's, used for this one call on this thread.
    let errno = unsafe { ffi::sqlite3_system_errno(conn.handle()) };
    let shm = f.extended_code == ffi::SQLITE_IOERR_SHMSIZE;
    if !(shm || f.code == ErrorCode::DiskFull || errno == ENOSPC || errno == EDQUOT) {
        return None;
    }
    let said = if errno > 0 {
        let s = std::io::Error::from_raw_os_error(errno).to_string();
        s.split(" (os error").next().unwrap_or_default().to_string()
    } else {
        "no space left".to_string()
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let why = if shm { format!("SQLite could not create {name}-shm: {said}") } else { said };
    *FULL_AT_OPEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
        Some((path.to_path_buf(), why.clone()));
    Some(why)
}

/// Removes the part-made `-shm` a failed open left (it was not there
/// before), under SQLite's exclusive lock on the database, as SQLite itself
/// does: no other connection has the file open then, and none can open it.
/// An exclusive-mode connection keeps its WAL index in memory, never in the
/// `-shm`, and on close removes an empty `-wal`. Where the lock is not free
/// (another process has the file open) nothing is removed.
pub(super) fn remove_part_made_shm(path: &Path) {
    let Ok(c) = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return;
    };
    let locked = c
        .pragma_update(None, "locking_mode", "EXCLUSIVE")
        .and_then(|()| c.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())));
    let shm = super::companion(path, "-shm");
    // A `-shm` under 32 KiB was never mapped: no reader or writer used it.
    if locked.is_ok() && std::fs::metadata(&shm).is_ok_and(|m| m.len() < 32 * 1024) {
        let _ = std::fs::remove_file(&shm);
    }
}

/// Names a write that failed for lack of room or permission, or on a damaged page.
pub fn storage_error(e: anyhow::Error, path: &str) -> anyhow::Error {
    let code =
        e.chain().find_map(|c| c.downcast_ref::<rusqlite::Error>()).and_then(|r| r.sqlite_error_code());
    match code {
        Some(ErrorCode::ReadOnly) => match full_at_open(Path::new(path)) {
            Some(why) => disk_full(path, &format!(" ({why})")),
            None => anyhow::anyhow!(
                "cannot write {path}: it is read-only (a read-only file or filesystem); nothing was changed — \
                 reading commands (today, health list, backup …) still work"
            ),
        },
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => damaged(path),
        Some(ErrorCode::DiskFull) => disk_full(path, ""),
        _ => e,
    }
}

/// The disk holding `path` is full: `why` is empty or ` (what failed)`.
fn disk_full(path: &str, why: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "cannot write {path}: the disk is full{why}; nothing was changed — free some space and run it again"
    )
}

/// A write failed on a damaged page: not a question of disk space.
pub fn damaged(path: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "cannot write {path}: the database is damaged (SQLite found a corrupt page); nothing was \
         changed — run `csf check` to see the damage, then `csf restore BACKUP` to put a backup back"
    )
}

/// The error (or one it wraps) is SQLite finding a damaged file.
pub fn is_damaged(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<rusqlite::Error>())
        .any(|r| matches!(r.sqlite_error_code(), Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)))
}
