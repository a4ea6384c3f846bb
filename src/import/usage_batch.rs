//! Usage rows are written in primary-key order, a batch at a time.
//!
//! Real exports arrive in time order, not by customer: inserted as read,
//! each row lands at a random place in the `(cid, ts, event_id)` B-tree and
//! the page cache thrashes. Sorting a bounded batch by the key first turns
//! each batch into one sequential sweep of the tree. Memory stays flat: at
//! most `CAP` rows of 32 bytes (8 MiB) are held, whatever the file size.
//! Within a batch, rows with the same key keep their file order, so the last
//! one wins exactly as when rows are written one by one (SPEC §3.2).

use rusqlite::{params, Transaction};

/// Rows held before a batch is sorted and written.
const CAP: usize = 1 << 18;

#[derive(Debug, Clone, Copy)]
struct Row {
    cid: i64,
    ts: i64,
    count: i64,
    event_id: u32,
    /// The row's place in the file, to keep file order among equal keys.
    seq: u32,
}

#[derive(Debug, Default)]
pub(super) struct UsageBatch {
    rows: Vec<Row>,
    seq: u32,
    pub(super) inserted: u64,
    pub(super) updated: u64,
}

impl UsageBatch {
    pub(super) fn push(
        &mut self,
        tx: &Transaction,
        cid: i64,
        ts: i64,
        event_id: i64,
        count: i64,
    ) -> rusqlite::Result<()> {
        if self.rows.capacity() == 0 {
            self.rows.reserve_exact(CAP);
        }
        self.seq = self.seq.wrapping_add(1);
        // Event ids are interned names: far below u32::MAX.
        let event_id = u32::try_from(event_id).unwrap_or(u32::MAX);
        self.rows.push(Row { cid, ts, count, event_id, seq: self.seq });
        if self.rows.len() >= CAP {
            self.flush(tx)?;
        }
        Ok(())
    }

    /// Writes the held rows in key order: insert, or replace the stored count.
    pub(super) fn flush(&mut self, tx: &Transaction) -> rusqlite::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        self.rows.sort_unstable_by_key(|r| (r.cid, r.ts, r.event_id, r.seq));
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO usage_events (cid, ts, event_id, count) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut update = tx.prepare_cached(
            "UPDATE usage_events SET count = ?4 WHERE cid = ?1 AND ts = ?2 AND event_id = ?3",
        )?;
        for r in self.rows.drain(..) {
            let p = params![r.cid, r.ts, r.event_id, r.count];
            if insert.execute(p)? == 1 {
                self.inserted += 1;
            } else {
                update.execute(p)?;
                self.updated += 1;
            }
        }
        // The sequence restarts per batch: batches are written in file order.
        self.seq = 0;
        Ok(())
    }
}
