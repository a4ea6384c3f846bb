//! The `customers` table: lookup by id or email, add, edit, remove, list.

use crate::money::Cents;
use anyhow::{bail, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::store::revenue;

#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub cid: i64,
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// The person to greet in drafts.
    pub contact_name: Option<String>,
    /// How drafts greet them, when set (wins over `contact_name`).
    pub salutation: Option<String>,
    pub plan: Option<String>,
    pub mrr_cents: Option<Cents>,
    pub signed_up_at: Option<i64>,
    pub churned_at: Option<i64>,
}

impl Customer {
    /// Whether every column but the MRR (which has its own history) is equal.
    pub fn same_fields(&self, other: &Customer) -> bool {
        self.id == other.id
            && self.name == other.name
            && self.email == other.email
            && self.contact_name == other.contact_name
            && self.salutation == other.salutation
            && self.plan == other.plan
            && self.signed_up_at == other.signed_up_at
            && self.churned_at == other.churned_at
    }

    /// The name, else the id: what a person reads.
    pub fn label(&self) -> &str {
        self.name.as_deref().filter(|n| !n.is_empty()).unwrap_or(&self.id)
    }

    /// Churned as of `now` (a churn date after `now` is not yet in effect).
    pub fn is_churned(&self, now: i64) -> bool {
        self.churned_at.is_some_and(|t| t <= now)
    }
}

pub const COLUMNS: &str =
    "cid, id, name, email, plan, mrr_cents, signed_up_at, churned_at, contact_name, salutation";

pub fn from_row(r: &Row) -> rusqlite::Result<Customer> {
    Ok(Customer {
        cid: r.get(0)?,
        id: r.get(1)?,
        name: r.get(2)?,
        email: r.get(3)?,
        plan: r.get(4)?,
        mrr_cents: r.get(5)?,
        signed_up_at: r.get(6)?,
        churned_at: r.get(7)?,
        contact_name: r.get(8)?,
        salutation: r.get(9)?,
    })
}

/// Finds a customer by id, else by email (case-insensitive).
pub fn find(conn: &Connection, key: &str) -> Result<Option<Customer>> {
    // The id as typed first (an index seek), then in any case (`ACME`
    // finds `acme`: a scan, only for a miss).
    let exact = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"))?
        .query_row([key], from_row)
        .optional()?;
    if exact.is_some() {
        return Ok(exact);
    }
    // Used only when unique: `ACME` never picks one of `acme` and `Acme`.
    let mut by_id: Vec<Customer> = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1 COLLATE NOCASE ORDER BY id"))?
        .query_map([key], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    if by_id.len() > 1 {
        let ids: Vec<String> = by_id.iter().map(|c| c.id.clone()).collect();
        bail!(
            "customer id \"{key}\" matches {} in different case: {}; nothing was changed — type the id exactly",
            ids.len(),
            ids.join(", ")
        );
    }
    if let Some(c) = by_id.pop() {
        return Ok(Some(c));
    }
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM customers WHERE email = ? COLLATE NOCASE ORDER BY cid LIMIT 1"
        ))?
        .query_row([key.trim()], from_row)
        .optional()?)
}

/// A customer has exactly this id (same case).
pub fn id_taken(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM customers WHERE id = ?1")?.exists([id])?)
}

/// The customer with internal key `cid`, if any (an index seek).
pub fn by_cid(conn: &Connection, cid: i64) -> Result<Option<Customer>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE cid = ?1"))?
        .query_row([cid], from_row)
        .optional()?)
}

/// Like [`find`], with the error a user reads when there is no such customer.
pub fn get(conn: &Connection, key: &str) -> Result<Customer> {
    match find(conn, key)? {
        Some(c) => Ok(c),
        None => bail!("{}", not_found(conn, key)?),
    }
}

/// "no customer with id or email "c116"; did you mean c00116?" — the nearest
/// ids (edit distance or prefix), else where to look.
fn not_found(conn: &Connection, key: &str) -> Result<String> {
    let mut st = conn.prepare_cached("SELECT id FROM customers ORDER BY id")?;
    let ids: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let near = crate::domain::today::suggest(key, ids.iter().map(String::as_str));
    Ok(if near.is_empty() {
        format!("no customer with id or email \"{key}\"; `csf customer list` shows the customers")
    } else {
        format!("no customer with id or email \"{key}\"; did you mean {}?", near.join(", "))
    })
}

/// A customer by id or email ([`find`]), else by a part of its name or
/// email that only one customer has (`customer show`). Several matches are
/// an error listing them.
pub fn lookup(conn: &Connection, key: &str) -> Result<Customer> {
    if let Some(c) = find(conn, key)? {
        return Ok(c);
    }
    let part = key.trim();
    let mut matches: Vec<Customer> = if part.is_empty() {
        Vec::new()
    } else {
        let mut st = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM customers
              WHERE instr(lower(coalesce(name, '')), lower(?1)) > 0
                 OR instr(lower(coalesce(email, '')), lower(?1)) > 0
              ORDER BY id LIMIT 11"
        ))?;
        let rows = st.query_map([part], from_row)?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    match matches.len() {
        0 => bail!("{}", not_found(conn, key)?),
        1 => Ok(matches.remove(0)),
        n => {
            let shown: Vec<String> = matches
                .iter()
                .take(10)
                .map(|c| format!("{} ({})", c.id, c.name.as_deref().or(c.email.as_deref()).unwrap_or("-")))
                .collect();
            let more = if n > 10 { ", …" } else { "" };
            bail!("\"{key}\" matches several customers: {}{more}; use the id", shown.join(", "))
        }
    }
}

pub fn list(conn: &Connection) -> Result<Vec<Customer>> {
    let mut out = Vec::with_capacity(count(conn)?);
    // Read in storage order and sorted here (ids are unique, and SQLite's
    // BINARY order is Rust's byte order): a walk of the id index made a table
    // seek per customer.
    let mut st = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM customers"))?;
    for c in st.query_map([], from_row)? {
        out.push(c?);
    }
    out.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// How many customers there are (to size a list of all of them exactly:
/// a growing vector of 100,000 keeps up to twice their size).
pub fn count(conn: &Connection) -> Result<usize> {
    Ok(conn.prepare_cached("SELECT count(*) FROM customers")?.query_row([], |r| r.get::<_, i64>(0))? as usize)
}

#[derive(Debug, Default, Clone)]
pub struct NewCustomer {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub contact_name: Option<String>,
    pub salutation: Option<String>,
    pub plan: Option<String>,
    pub mrr_cents: Option<Cents>,
    pub signed_up_at: Option<i64>,
    pub churned_at: Option<i64>,
    /// The Stripe customer it is linked to (`csf sync stripe`).
    pub stripe_id: Option<String>,
}

/// Inserts a customer with the start of its histories (its first MRR and
/// plan at signup, a churn when given): the one place a customer is
/// created, for imports, `customer add` and the syncs. Returns its key.
pub fn insert(
    conn: &Connection,
    c: &NewCustomer,
    now: i64,
    source: revenue::Source,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO customers (id, name, email, plan, mrr_cents, signed_up_at, churned_at, created_at, updated_at,
                                contact_name, salutation, stripe_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        c.id,
        c.name,
        c.email,
        c.plan,
        c.mrr_cents,
        c.signed_up_at,
        c.churned_at,
        now,
        c.contact_name,
        c.salutation,
        c.stripe_id
    ])?;
    let cid = conn.last_insert_rowid();
    // The history starts at signup (docs/revenue.md).
    if let Some(m) = c.mrr_cents {
        revenue::record_first_mrr(conn, cid, c.signed_up_at.unwrap_or(now), m)?;
    }
    if c.plan.is_some() {
        revenue::note_plan(
            conn,
            cid,
            c.signed_up_at.unwrap_or(now),
            c.plan.as_deref(),
            revenue::Source::Signup,
        )?;
    }
    if let Some(t) = c.churned_at {
        revenue::record_status(conn, cid, t, true, source.name())?;
    }
    Ok(cid)
}

/// Stores `new` over `old` (the same customer, as loaded) with its
/// histories: `mrr`, when given and different from the MRR recorded at
/// `mrr_at`, is recorded from then (a backdated change too, when today's MRR
/// is already that value; `customers.mrr_cents` stays the latest); a plan
/// change from `mrr_at`; a churn set, moved or cleared (a return as of `now`).
/// The one place a customer is changed, for imports and `customer edit`.
/// Returns whether an MRR change was recorded.
pub fn update(
    conn: &Connection,
    old: &Customer,
    new: &Customer,
    (mrr, mrr_at): (Option<Cents>, i64),
    now: i64,
    source: revenue::Source,
) -> Result<bool> {
    let cid = old.cid;
    conn.prepare_cached(
        "UPDATE customers SET id = ?2, name = ?3, email = ?4, plan = ?5, signed_up_at = ?6, churned_at = ?7,
         updated_at = ?8, contact_name = ?9, salutation = ?10 WHERE cid = ?1",
    )?
    .execute(params![
        cid,
        new.id,
        new.name,
        new.email,
        new.plan,
        new.signed_up_at,
        new.churned_at,
        now,
        new.contact_name,
        new.salutation
    ])?;
    let recorded = revenue::mrr_at(conn, cid, mrr_at)?.or(old.mrr_cents);
    let change = mrr.filter(|m| Some(*m) != recorded);
    if let Some(m) = change {
        revenue::record_mrr(conn, cid, mrr_at, m, source)?;
    }
    let old_plan = (old.plan.as_deref(), old.signed_up_at.unwrap_or(0));
    revenue::change_plan(conn, cid, old_plan, new.plan.as_deref(), mrr_at, source)?;
    revenue::set_churn(conn, cid, old.churned_at, new.churned_at, now, source.name())?;
    Ok(change.is_some())
}

/// The MRR recorded for the customer at `at` (before a churn, not the 0
/// after it), else its stored one: what a new value is compared with.
pub fn mrr_recorded_at(conn: &Connection, c: &Customer, at: i64) -> rusqlite::Result<Option<Cents>> {
    Ok(revenue::mrr_at(conn, c.cid, at)?.or(c.mrr_cents))
}

/// How many rows of each kind refer to the customer (for `customer remove`),
/// each kind named in the singular and the plural.
pub fn references(conn: &Connection, cid: i64) -> Result<Vec<((&'static str, &'static str), i64)>> {
    let mut out = Vec::new();
    for (label, table) in [
        (("usage event", "usage events"), "usage_events"),
        (("NPS response", "NPS responses"), "nps_responses"),
        (("billing record", "billing records"), "billing_records"),
        (("ticket", "tickets"), "tickets"),
        (("health snapshot", "health snapshots"), "health_snapshots"),
        (("churn record", "churn records"), "churn_records"),
        (("outreach step", "outreach steps"), "outreach_done"),
    ] {
        let n: i64 =
            conn.query_row(&format!("SELECT count(*) FROM {table} WHERE cid = ?"), [cid], |r| r.get(0))?;
        if n > 0 {
            out.push((label, n));
        }
    }
    Ok(out)
}

/// Deletes the customer; its data goes with it (ON DELETE CASCADE).
pub fn delete(conn: &Connection, cid: i64) -> Result<()> {
    conn.execute("DELETE FROM customers WHERE cid = ?", [cid])?;
    Ok(())
}

/// Customers an upgrade flagged: a negative MRR an older csf stored, now 0
/// (`mrr_negative_cents` keeps the value until an MRR is set), by id.
pub fn negative_mrr(conn: &Connection) -> Result<Vec<(String, Cents)>> {
    let mut st = conn.prepare(
        "SELECT id, mrr_negative_cents FROM customers WHERE mrr_negative_cents IS NOT NULL ORDER BY id",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
