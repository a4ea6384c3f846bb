//! What an import says on stderr when it is done.

use crate::import::Summary;
use crate::render::count;

/// `usage: 3 rows read, 2 inserted, …` (or what a dry run would do).
pub fn said(kind: &str, s: &Summary, dry_run: bool, took_secs: f64, source: &str) -> String {
    let created = if s.customers_created > 0 {
        format!(", {} created", count(s.customers_created as i64, "customer"))
    } else {
        String::new()
    };
    let read = count(s.rows_read as i64, "row");
    if dry_run {
        format!(
            "{kind} (dry run, nothing written): {read} read, would insert {}, change {}, leave {} unchanged, skip {}{created} ({source})",
            s.inserted, s.updated, s.unchanged, s.skipped
        )
    } else {
        format!(
            "{kind}: {read} read, {} inserted, {} changed, {} unchanged, {} skipped{created} in {took_secs:.2} s ({source})",
            s.inserted, s.updated, s.unchanged, s.skipped
        )
    }
}
