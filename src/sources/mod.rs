//! Sources: data that arrives by itself (docs/sync.md). Each source reads a
//! system of the founder's (Stripe, their own PostgreSQL) and hands typed
//! rows to the same writer as the CSV import, in one transaction with its
//! cursor. A source may import `import`, `store`, `domain` and the leaves.

pub mod postgres;
pub mod stripe;

/// The sources csf knows, in the order `csf sync` runs them.
pub const ALL: &[&str] = &["stripe", "postgres"];

/// What one sync did: counts per kind, for the summary and `sync status`.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub kind: String,
    pub read: u64,
    pub inserted: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub skipped: u64,
}

/// The result of one sync of one source.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub source: String,
    pub kinds: Vec<Counts>,
    /// Requests made (HTTP requests for Stripe, queries for PostgreSQL).
    pub requests: u64,
    pub elapsed_ms: u64,
    /// A sentence for stderr when the run was a full read it was not asked for, etc.
    pub notes: Vec<String>,
    pub dry_run: bool,
}
