//! `csf customer add | list | show | edit | remove` (docs/schema.md).

use anyhow::{anyhow, bail, Result};
use rusqlite::Connection;

use crate::app::customers as app;
use crate::cli::customer::{CustomerCmd, CustomerFields};
use crate::context::Ctx;
use crate::import::values::parse_mrr;
use crate::render::{self, customer as rc, Format};
use crate::store;
use crate::store::customers::{self, NewCustomer};
use crate::time;

pub fn run(ctx: &Ctx, cmd: CustomerCmd) -> Result<()> {
    let mut conn = if matches!(cmd, CustomerCmd::Add { .. }) { ctx.open_or_create()? } else { ctx.open()? };
    match cmd {
        CustomerCmd::Add { id, fields } => add(ctx, &mut conn, id, fields),
        CustomerCmd::List { stage } => list(ctx, &conn, stage.as_deref()),
        CustomerCmd::Show { customer } => show(ctx, &conn, &customer),
        CustomerCmd::Edit { customer, id, effective, fields } => {
            edit(ctx, &mut conn, &customer, id, effective, fields)
        }
        CustomerCmd::Remove { customer, force } => remove(ctx, &mut conn, &customer, force),
    }
}

fn opt_time(flag: &str, v: &str) -> Result<Option<i64>> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    time::parse_timestamp(v).map(Some).map_err(|e| anyhow!("--{flag} \"{v}\" {e}"))
}

fn opt_money(v: &str, currency: &str) -> Result<Option<crate::money::Cents>> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    parse_mrr(v, currency).map(Some).map_err(|e| anyhow!("--mrr \"{v}\" {e}; nothing was changed"))
}

fn opt_str(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn validate_id(id: &str) -> Result<String> {
    let t = id.trim();
    if t.is_empty() {
        bail!("a customer id cannot be empty");
    }
    Ok(t.to_string())
}

fn add(ctx: &Ctx, conn: &mut Connection, id: String, f: CustomerFields) -> Result<()> {
    let id = validate_id(&id)?;
    check_fields(&f)?;
    let currency = ctx.settings(conn)?.get("currency").unwrap_or_else(|| "USD".into());
    let c = NewCustomer {
        id: id.clone(),
        name: f.name.and_then(opt_str),
        email: f.email.and_then(opt_str),
        contact_name: f.contact.and_then(opt_str),
        salutation: f.salutation.and_then(opt_str),
        plan: f.plan.and_then(opt_str),
        mrr_cents: f.mrr.as_deref().map(|m| opt_money(m, &currency)).transpose()?.flatten(),
        signed_up_at: match f.signed_up.as_deref() {
            Some(s) => opt_time("signed-up", s)?,
            None => Some(ctx.now),
        },
        churned_at: f.churned.as_deref().map(|s| opt_time("churned", s)).transpose()?.flatten(),
        stripe_id: None,
    };
    store::write(conn, |tx| {
        if customers::id_taken(tx, &id)? {
            bail!("customer \"{id}\" already exists; use `csf customer edit {id} ...` to change it");
        }
        customers::insert(tx, &c, ctx.now)
    })?;
    ctx.info(format!("Added customer {id}"));
    Ok(())
}

fn edit(
    ctx: &Ctx,
    conn: &mut Connection,
    key: &str,
    new_id: Option<String>,
    effective: Option<String>,
    f: CustomerFields,
) -> Result<()> {
    check_fields(&f)?;
    let currency = ctx.settings(conn)?.get("currency").unwrap_or_else(|| "USD".into());
    let effective = effective
        .map(|d| {
            time::parse_timestamp(&d)
                .map_err(|e| anyhow!("--effective \"{d}\" {e}; use a date such as 2026-10-01"))
        })
        .transpose()?;
    let plan_edited = f.plan.is_some();
    store::write(conn, |tx| {
        let mut c = customers::get(tx, key)?;
        if let Some(id) = new_id {
            let id = validate_id(&id)?;
            if id != c.id && customers::id_taken(tx, &id)? {
                bail!("customer \"{id}\" already exists; choose another id");
            }
            c.id = id;
        }
        if let Some(v) = f.name {
            c.name = opt_str(v);
        }
        if let Some(v) = f.email {
            c.email = opt_str(v);
        }
        if let Some(v) = f.contact {
            c.contact_name = opt_str(v);
        }
        if let Some(v) = f.salutation {
            c.salutation = opt_str(v);
        }
        if let Some(v) = f.plan {
            c.plan = opt_str(v);
        }
        let mrr = match f.mrr {
            Some(v) if v.trim().is_empty() => bail!(
                "--mrr is empty; give the amount paid each month (0 for a free plan); nothing was changed"
            ),
            Some(v) => opt_money(&v, &currency)?,
            None => None,
        };
        if mrr.is_some() {
            c.mrr_cents = mrr;
        }

        if let Some(v) = f.signed_up {
            c.signed_up_at = opt_time("signed-up", &v)?;
        }
        if let Some(v) = f.churned {
            c.churned_at = opt_time("churned", &v)?;
        }
        let at = effective.unwrap_or(ctx.now);
        if at > ctx.now {
            bail!(
                "--effective {} is after now ({}); an MRR change takes effect today or earlier",
                time::iso_date(at),
                time::iso_date(ctx.now)
            );
        }
        if let Some(s) = c.signed_up_at.filter(|s| at < *s) {
            bail!(
                "--effective {} is before {} signed up ({}); give a later date",
                time::iso_date(at),
                c.id,
                time::iso_date(s)
            );
        }
        let recorded = customers::update(tx, &c, ctx.now, at)?;
        ctx.info(rc::edit_said(&c, mrr, recorded, at, plan_edited, ctx.now));
        Ok(())
    })
}

fn remove(ctx: &Ctx, conn: &mut Connection, key: &str, force: bool) -> Result<()> {
    store::write(conn, |tx| {
        let c = customers::get(tx, key)?;
        let refs = customers::references(tx, c.cid)?;
        if !refs.is_empty() && !force {
            let list: Vec<String> = refs.iter().map(|(what, n)| format!("{n} {what}")).collect();
            bail!(
                "customer \"{}\" still has {}; nothing was removed — pass --force to remove it \
                 with its data",
                c.id,
                list.join(", ")
            );
        }
        customers::delete(tx, c.cid)?;
        ctx.info(format!("Removed customer {}", c.id));
        Ok(())
    })
}

fn list(ctx: &Ctx, conn: &Connection, stage: Option<&str>) -> Result<()> {
    let settings = ctx.settings(conn)?;
    let all = app::list(conn, &settings, ctx.now, stage)?;
    let rows = all.iter().map(|l| rc::list_row(l, ctx.now));
    if all.is_empty() && customers::list(conn)?.is_empty() {
        ctx.info("No customers yet: `csf import customers FILE` or `csf customer add ID`.");
        return ctx.print_each(rc::list_head(), rows);
    }
    ctx.print_each(
        match stage {
            Some(s) => rc::list_head().when_empty(format!("No customers at the {s} stage.")),
            None => rc::list_head(),
        },
        rows,
    )
}

fn show(ctx: &Ctx, conn: &Connection, key: &str) -> Result<()> {
    ctx.only_formats(
        "customer show",
        &[Format::Table, Format::Json],
        " (a profile is nested; `csf customer list -f csv` has one row per customer)",
    )?;
    let settings = ctx.settings(conn)?;
    let shown = app::show(conn, &settings, ctx.now, key)?;
    if ctx.format_or(Format::Table) == Format::Json {
        return render::out(&format!("{}\n", serde_json::to_string_pretty(&rc::show_json(&shown, ctx.now))?));
    }
    render::out(&rc::show_text(&shown, ctx.now, ctx.color))
}

/// What reaches a draft's header: no line breaks or control characters in a
/// name, contact or salutation; exactly one address in an email.
fn check_fields(f: &CustomerFields) -> Result<()> {
    use crate::domain::contact::{check_email, check_header_text};
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
