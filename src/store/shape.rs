//! Whether a SQLite file is a csf database of a given schema version: its
//! tables and their columns, compared with what the schema steps create.

use anyhow::Result;
use rusqlite::Connection;

use super::{MIGRATIONS, SCHEMA_VERSION};

/// The tables of the current schema with their columns, so that opening a
/// current file needs no in-memory rebuild of every step (≈ 5 ms a command).
/// `the_current_shape_is_what_the_steps_build` keeps it equal to the steps.
const CURRENT: &[(&str, &[&str])] = &[
    ("billing_records", &["id", "cid", "date", "amount_cents", "currency", "status", "invoice_id"]),
    ("category_docs", &["category", "url", "created_at"]),
    ("category_plans", &["category", "plan", "updated_at"]),
    (
        "churn_records",
        &[
            "id",
            "cid",
            "churned_at",
            "reason",
            "reason_other",
            "better",
            "return_answer",
            "mrr_cents",
            "recorded_at",
        ],
    ),
    ("config", &["key", "value"]),
    (
        "customers",
        &[
            "cid",
            "id",
            "name",
            "email",
            "plan",
            "mrr_cents",
            "signed_up_at",
            "churned_at",
            "created_at",
            "updated_at",
            "contact_name",
            "salutation",
            "stripe_id",
            "mrr_negative_cents",
        ],
    ),
    ("event_names", &["id", "name", "first_seen"]),
    (
        "evidence",
        &[
            "measured_on",
            "predictor",
            "samples",
            "churned",
            "total_samples",
            "total_churned",
            "risk",
            "lift",
            "catch",
            "from_day",
            "to_day",
            "every_days",
            "horizon_days",
        ],
    ),
    (
        "health_snapshots",
        &[
            "cid",
            "day",
            "usage",
            "engagement",
            "satisfaction",
            "payment",
            "score",
            "status",
            "computed_at",
            "weights",
        ],
    ),
    (
        "import_log",
        &["id", "kind", "file", "started_at", "finished_at", "rows_read", "inserted", "updated", "skipped"],
    ),
    ("mrr_changes", &["cid", "effective_at", "mrr_cents", "source"]),
    ("nps_responses", &["cid", "responded_at", "score", "comment"]),
    ("outreach_done", &["cid", "sequence", "started_on", "step_day", "done_at"]),
    ("plan_changes", &["cid", "effective_at", "plan", "source"]),
    ("skips", &["id", "action", "cid", "until", "note", "created_at", "slot"]),
    ("status_changes", &["seq", "cid", "at", "churned", "source"]),
    ("sync_state", &["source", "cursor", "synced_at", "summary"]),
    ("templates", &["name", "body", "updated_at"]),
    ("ticket_events", &["id", "tid", "ts", "kind", "body", "imported"]),
    (
        "tickets",
        &[
            "tid",
            "id",
            "cid",
            "subject",
            "category",
            "priority",
            "channel",
            "status",
            "escalated",
            "created_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "csat",
            "csat_at",
            "origin",
        ],
    ),
    ("touches", &["id", "cid", "ts", "kind", "action", "action_kind", "note", "basis"]),
    ("usage_events", &["cid", "ts", "event_id", "count"]),
];

/// The tables, with their column names in order, that the first `version`
/// schema steps create: the constant for the current schema, else built in
/// memory (so it follows every step exactly).
fn expected_tables(version: i64) -> Result<Vec<(String, Vec<String>)>> {
    if version == SCHEMA_VERSION {
        return Ok(CURRENT
            .iter()
            .map(|(t, cols)| (t.to_string(), cols.iter().map(|c| c.to_string()).collect()))
            .collect());
    }
    built_tables(version)
}

fn built_tables(version: i64) -> Result<Vec<(String, Vec<String>)>> {
    let mem = Connection::open_in_memory()?;
    for step in MIGRATIONS.iter().take(version.clamp(0, SCHEMA_VERSION) as usize) {
        mem.execute_batch(step)?;
    }
    tables_of(&mem)
}

/// Every table that is not SQLite's own, with its column names in order.
fn tables_of(conn: &Connection) -> Result<Vec<(String, Vec<String>)>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut cols = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    names
        .into_iter()
        .map(|n| {
            let c = cols.query_map([&n], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok((n, c))
        })
        .collect()
}

/// Why the file at `version` is not a csf database, if it is not: a table
/// no schema step up to `version` creates (any table at version 0), or one
/// of csf's tables missing or of another shape. Reads only.
pub(super) fn foreign_shape(conn: &Connection, version: i64) -> Result<Option<String>> {
    let want = expected_tables(version)?;
    let have = tables_of(conn)?;
    if have.iter().any(|(n, _)| !want.iter().any(|(w, _)| w == n)) {
        return Ok(Some("it has other tables".into()));
    }
    for (name, got) in &have {
        if want.iter().any(|(w, cols)| w == name && cols != got) {
            return Ok(Some(format!(
                "its {name} table has the columns ({}), not those of csf schema version {version}",
                got.join(", ")
            )));
        }
    }
    if let Some((name, _)) = want.iter().find(|(w, _)| !have.iter().any(|(n, _)| n == w)) {
        return Ok(Some(format!("it has no {name} table, which csf schema version {version} has")));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_shape_is_what_the_steps_build() {
        assert_eq!(expected_tables(SCHEMA_VERSION).unwrap(), built_tables(SCHEMA_VERSION).unwrap());
    }
}
