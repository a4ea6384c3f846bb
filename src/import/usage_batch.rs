//! Usage rows are written in primary-key order.
//!
//! Real exports arrive in time order, not by customer: inserted as read,
//! each row lands at a random place in the `(cid, ts, event_id)` B-tree and
//! the page cache thrashes. Rows are therefore sorted by that key before they
//! are written: a file of up to `CAP` rows is sorted in memory; a larger one
//! is cut into sorted runs of `CAP` rows kept in a private temporary file and
//! merged, so the whole import is one sequential sweep of the tree. Memory
//! stays flat whatever the file size: one run (4 MiB) plus a 32 KiB buffer
//! per run while merging. Rows with the same key keep their file order, so
//! the last one wins exactly as when rows are written one by one (docs/import.md).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};

use rusqlite::{params, Statement, Transaction};

/// Rows sorted in memory at once.
const CAP: usize = 1 << 17;
/// Rows read at a time from each run while merging.
const CHUNK: usize = 1 << 10;
const ROW_BYTES: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    // Field order is the sort order: the key, then the file order.
    cid: i64,
    ts: i64,
    event_id: u32,
    seq: u32,
    count: i64,
}

impl Row {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.cid.to_le_bytes());
        out.extend_from_slice(&self.ts.to_le_bytes());
        out.extend_from_slice(&self.event_id.to_le_bytes());
        out.extend_from_slice(&self.seq.to_le_bytes());
        out.extend_from_slice(&self.count.to_le_bytes());
    }

    fn decode(b: &[u8]) -> Row {
        let i64_at = |i: usize| i64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or([0; 4]));
        Row { cid: i64_at(0), ts: i64_at(8), event_id: u32_at(16), seq: u32_at(20), count: i64_at(24) }
    }
}

/// Sorted runs in a temporary file: (first row, rows) of each.
struct Spill {
    file: File,
    runs: Vec<(u64, u64)>,
    rows: u64,
}

#[derive(Default)]
pub(super) struct UsageBatch {
    rows: Vec<Row>,
    seq: u32,
    spill: Option<Spill>,
    pub(super) inserted: u64,
    pub(super) updated: u64,
    /// Rows identical to what was stored.
    pub(super) unchanged: u64,
}

/// An I/O failure of the temporary sort file, reported as a storage error.
fn io_error(e: std::io::Error) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR),
        Some(format!("the temporary file csf sorts a large import in: {e}")),
    )
}

impl UsageBatch {
    pub(super) fn push(&mut self, cid: i64, ts: i64, event_id: i64, count: i64) -> rusqlite::Result<()> {
        if self.rows.capacity() == 0 {
            self.rows.reserve_exact(CAP);
        }
        self.seq = self.seq.wrapping_add(1);
        // Event ids are interned names: far below u32::MAX.
        let event_id = u32::try_from(event_id).unwrap_or(u32::MAX);
        self.rows.push(Row { cid, ts, event_id, seq: self.seq, count });
        if self.rows.len() >= CAP {
            self.spill_run().map_err(io_error)?;
        }
        Ok(())
    }

    /// Sorts the rows held and appends them as one run to the temporary file.
    fn spill_run(&mut self) -> std::io::Result<()> {
        self.rows.sort_unstable();
        let spill = match &mut self.spill {
            Some(s) => s,
            None => self.spill.insert(Spill { file: temp_file()?, runs: Vec::new(), rows: 0 }),
        };
        let mut buf = Vec::with_capacity(CHUNK * ROW_BYTES);
        spill.file.seek(SeekFrom::Start(spill.rows * ROW_BYTES as u64))?;
        for chunk in self.rows.chunks(CHUNK) {
            buf.clear();
            chunk.iter().for_each(|r| r.encode(&mut buf));
            spill.file.write_all(&buf)?;
        }
        spill.runs.push((spill.rows, self.rows.len() as u64));
        spill.rows += self.rows.len() as u64;
        self.rows.clear();
        Ok(())
    }

    /// Writes every row in key order: insert, or replace the stored count.
    pub(super) fn flush(&mut self, tx: &Transaction) -> rusqlite::Result<()> {
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO usage_events (cid, ts, event_id, count) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut update = tx.prepare_cached(
            "UPDATE usage_events SET count = ?4 WHERE cid = ?1 AND ts = ?2 AND event_id = ?3 AND count IS NOT ?4",
        )?;
        let mut write = |r: Row, counts: &mut (u64, u64, u64)| -> rusqlite::Result<()> {
            write_row(&mut insert, &mut update, r, counts)
        };
        let mut counts = (0, 0, 0);
        if self.spill.is_none() {
            self.rows.sort_unstable();
            for r in self.rows.drain(..) {
                write(r, &mut counts)?;
            }
        } else {
            if !self.rows.is_empty() {
                self.spill_run().map_err(io_error)?;
            }
            if let Some(mut spill) = self.spill.take() {
                merge(&mut spill, |r| write(r, &mut counts))?;
            }
        }
        self.inserted += counts.0;
        self.updated += counts.1;
        self.unchanged += counts.2;
        self.seq = 0;
        Ok(())
    }
}

fn write_row(
    insert: &mut Statement,
    update: &mut Statement,
    r: Row,
    counts: &mut (u64, u64, u64),
) -> rusqlite::Result<()> {
    let p = params![r.cid, r.ts, r.event_id, r.count];
    if insert.execute(p)? == 1 {
        counts.0 += 1;
    } else if update.execute(p)? == 1 {
        counts.1 += 1;
    } else {
        counts.2 += 1;
    }
    Ok(())
}

/// One run being merged: where it is in the file and a buffer of its rows.
struct RunReader {
    next: u64,
    end: u64,
    buf: Vec<Row>,
    pos: usize,
}

impl RunReader {
    fn refill(&mut self, file: &mut File) -> std::io::Result<()> {
        let n = (self.end - self.next).min(CHUNK as u64) as usize;
        let mut bytes = vec![0u8; n * ROW_BYTES];
        file.seek(SeekFrom::Start(self.next * ROW_BYTES as u64))?;
        file.read_exact(&mut bytes)?;
        self.buf = bytes.chunks_exact(ROW_BYTES).map(Row::decode).collect();
        self.pos = 0;
        self.next += n as u64;
        Ok(())
    }

    fn pop(&mut self, file: &mut File) -> std::io::Result<Option<Row>> {
        if self.pos == self.buf.len() {
            if self.next == self.end {
                return Ok(None);
            }
            self.refill(file)?;
        }
        self.pos += 1;
        Ok(Some(self.buf[self.pos - 1]))
    }
}

/// K-way merge of the sorted runs, in key then file order.
fn merge(spill: &mut Spill, mut f: impl FnMut(Row) -> rusqlite::Result<()>) -> rusqlite::Result<()> {
    let mut readers: Vec<RunReader> = spill
        .runs
        .iter()
        .map(|&(start, n)| RunReader { next: start, end: start + n, buf: Vec::new(), pos: 0 })
        .collect();
    let mut heap = BinaryHeap::with_capacity(readers.len());
    for (i, r) in readers.iter_mut().enumerate() {
        if let Some(row) = r.pop(&mut spill.file).map_err(io_error)? {
            heap.push(Reverse((row, i)));
        }
    }
    while let Some(Reverse((row, i))) = heap.pop() {
        f(row)?;
        if let Some(next) = readers[i].pop(&mut spill.file).map_err(io_error)? {
            heap.push(Reverse((next, i)));
        }
    }
    Ok(())
}

/// A private temporary file (0600), removed from its folder at once on Unix
/// so that nothing is left behind whatever happens to the import.
fn temp_file() -> std::io::Result<File> {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let path = std::env::temp_dir().join(format!("csf-import-{}-{nanos}.sort", std::process::id()));
    let mut o = std::fs::OpenOptions::new();
    o.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let file = o.open(&path)?;
    #[cfg(unix)]
    std::fs::remove_file(&path)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More rows than one run, in time order with repeated keys: the merge
    /// writes them in key order and the last of equal keys wins.
    #[test]
    fn runs_merge_in_key_order_and_the_last_equal_key_wins() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE usage_events (cid INTEGER, ts INTEGER, event_id INTEGER, count INTEGER,
               PRIMARY KEY (cid, ts, event_id)) WITHOUT ROWID",
        )
        .unwrap();
        let tx = conn.transaction().unwrap();
        let mut b = UsageBatch::default();
        let n = CAP as i64 * 2 + 123;
        for i in 0..n {
            // Time order across 7 customers; every 1000th row repeats the previous key.
            let (cid, ts) = if i % 1000 == 999 { ((i - 1) % 7, i - 1) } else { (i % 7, i) };
            b.push(cid, ts, 1, i + 1).unwrap();
        }
        assert_eq!(b.spill.as_ref().map(|s| s.runs.len()), Some(2));
        b.flush(&tx).unwrap();
        let repeats = n / 1000;
        assert_eq!((b.inserted, b.updated, b.unchanged), ((n - repeats) as u64, repeats as u64, 0));
        // The same rows again: identical to what is stored.
        let mut again = UsageBatch::default();
        for i in (0..n).filter(|i| i % 1000 != 998) {
            let (cid, ts) = if i % 1000 == 999 { ((i - 1) % 7, i - 1) } else { (i % 7, i) };
            again.push(cid, ts, 1, i + 1).unwrap();
        }
        again.flush(&tx).unwrap();
        assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, (n - repeats) as u64));
        let stored: i64 = tx
            .query_row("SELECT count FROM usage_events WHERE cid = ?1 AND ts = 998", [998 % 7], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, 1000, "the later row (count 1000) replaced the earlier (999)");
        let total: i64 = tx.query_row("SELECT count(*) FROM usage_events", [], |r| r.get(0)).unwrap();
        assert_eq!(total, n - repeats);
    }
}
