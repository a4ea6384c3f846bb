//! The rules of `customer add | edit | remove`: typed flags in, checked
//! values through the store, one transaction each (docs/schema.md).

use anyhow::{anyhow, bail, Result};
use rusqlite::Connection;

use crate::domain::contact::{check_email, check_header_text};
use crate::import::values::parse_mrr;
use crate::money::Cents;
use crate::store::revenue::Source;
use crate::store::{self, customers, customers::Customer, customers::NewCustomer};
use crate::time;

/// The fields a command line may give, as typed ("" clears a field).
#[derive(Debug, Default)]
pub struct Fields {
    pub name: Option<String>,
    pub email: Option<String>,
    pub contact: Option<String>,
    pub salutation: Option<String>,
    pub plan: Option<String>,
    pub mrr: Option<String>,
    pub signed_up: Option<String>,
    pub churned: Option<String>,
}

/// What an edit did, for its sentence.
pub struct Edited {
    pub customer: Customer,
    /// The MRR given, if any.
    pub mrr: Option<Cents>,
    /// Whether an MRR change was recorded in the history.
    pub recorded: bool,
    /// When the change takes effect (`--effective`, or now).
    pub at: i64,
    pub plan_edited: bool,
}

fn opt_time(flag: &str, v: &str) -> Result<Option<i64>> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    time::parse_timestamp(v).map(Some).map_err(|e| anyhow!("--{flag} \"{v}\" {e}"))
}

fn opt_money(v: &str, currency: &str) -> Result<Option<Cents>> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    parse_mrr(v, currency).map(Some).map_err(|e| anyhow!("--mrr \"{v}\" {e}; nothing was changed"))
}

fn opt_str(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn valid_id(id: &str) -> Result<String> {
    let t = id.trim();
    if t.is_empty() {
        bail!("a customer id cannot be empty");
    }
    Ok(t.to_string())
}

/// What reaches a draft's header: no line breaks or control characters in a
/// name, contact or salutation; exactly one address in an email.
fn check_fields(f: &Fields) -> Result<()> {
    for (flag, v) in [("--name", &f.name), ("--contact", &f.contact), ("--salutation", &f.salutation)] {
        if let Some(v) = v {
            check_header_text(flag, v).map_err(|e| anyhow!("{e}; nothing was changed"))?;
        }
    }
    if let Some(e) = f.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        check_email(e).map_err(|m| anyhow!("--email {m}; nothing was changed"))?;
    }
    Ok(())
}

/// Adds a customer (signed up now unless given); returns its id.
pub fn add(conn: &mut Connection, id: &str, f: Fields, currency: &str, now: i64) -> Result<String> {
    let id = valid_id(id)?;
    check_fields(&f)?;
    let c = NewCustomer {
        id: id.clone(),
        name: f.name.and_then(opt_str),
        email: f.email.and_then(opt_str),
        contact_name: f.contact.and_then(opt_str),
        salutation: f.salutation.and_then(opt_str),
        plan: f.plan.and_then(opt_str),
        mrr_cents: f.mrr.as_deref().map(|m| opt_money(m, currency)).transpose()?.flatten(),
        signed_up_at: match f.signed_up.as_deref() {
            Some(s) => opt_time("signed-up", s)?,
            None => Some(now),
        },
        churned_at: f.churned.as_deref().map(|s| opt_time("churned", s)).transpose()?.flatten(),
        stripe_id: None,
    };
    store::write(conn, |tx| {
        if customers::id_taken(tx, &id)? {
            bail!("customer \"{id}\" already exists; use `csf customer edit {id} ...` to change it");
        }
        Ok(customers::insert(tx, &c, now, Source::Edit)?)
    })?;
    Ok(id)
}

/// Edits the customer `key`: a new id, fields, and an MRR or plan change
/// from `effective` (default now; never after now nor before the signup).
pub fn edit(
    conn: &mut Connection,
    key: &str,
    new_id: Option<String>,
    effective: Option<String>,
    f: Fields,
    currency: &str,
    now: i64,
) -> Result<Edited> {
    check_fields(&f)?;
    let at = match effective {
        Some(d) => time::parse_timestamp(&d)
            .map_err(|e| anyhow!("--effective \"{d}\" {e}; use a date such as 2026-10-01"))?,
        None => now,
    };
    if at > now {
        bail!(
            "--effective {} is after now ({}); an MRR change takes effect today or earlier",
            time::iso_date(at),
            time::iso_date(now)
        );
    }
    let mrr = match f.mrr.as_deref() {
        Some(v) if v.trim().is_empty() => {
            bail!("--mrr is empty; give the amount paid each month (0 for a free plan); nothing was changed")
        }
        Some(v) => opt_money(v, currency)?,
        None => None,
    };
    let plan_edited = f.plan.is_some();
    store::write(conn, |tx| {
        let old = customers::get(tx, key)?;
        let mut c = old.clone();
        if let Some(id) = new_id {
            let id = valid_id(&id)?;
            if id != c.id && customers::id_taken(tx, &id)? {
                bail!("customer \"{id}\" already exists; choose another id");
            }
            c.id = id;
        }
        let set = |field: &mut Option<String>, v: Option<String>| {
            if let Some(v) = v {
                *field = opt_str(v);
            }
        };
        set(&mut c.name, f.name);
        set(&mut c.email, f.email);
        set(&mut c.contact_name, f.contact);
        set(&mut c.salutation, f.salutation);
        set(&mut c.plan, f.plan);
        if let Some(v) = f.signed_up {
            c.signed_up_at = opt_time("signed-up", &v)?;
        }
        if let Some(v) = f.churned {
            c.churned_at = opt_time("churned", &v)?;
        }
        if let Some(s) = c.signed_up_at.filter(|s| at < *s) {
            bail!(
                "--effective {} is before {} signed up ({}); give a later date",
                time::iso_date(at),
                c.id,
                time::iso_date(s)
            );
        }
        let recorded = customers::update(tx, &old, &c, (mrr, at), now, Source::Edit)?;
        Ok(Edited { customer: c, mrr, recorded, at, plan_edited })
    })
}

/// Removes the customer `key`, refused while rows refer to it unless
/// `force`; returns its id.
pub fn remove(conn: &mut Connection, key: &str, force: bool) -> Result<String> {
    store::write(conn, |tx| {
        let c = customers::get(tx, key)?;
        let refs = customers::references(tx, c.cid)?;
        if !refs.is_empty() && !force {
            let list: Vec<String> = refs
                .iter()
                .map(|&((one, many), n)| format!("{n} {}", if n == 1 { one } else { many }))
                .collect();
            bail!(
                "customer \"{}\" still has {}; nothing was removed — pass --force to remove it \
                 with its data",
                c.id,
                list.join(", ")
            );
        }
        customers::delete(tx, c.cid)?;
        Ok(c.id)
    })
}
