//! `csf customer add | list | show | edit | remove` (SPEC §4).

use anyhow::{anyhow, bail, Result};
use rusqlite::Connection;
use serde_json::json;

use crate::cli::customer::{CustomerCmd, CustomerFields};
use crate::context::Ctx;
use crate::import::values::parse_money;
use crate::render::{self, Format, Rows, Value};
use crate::store::{
    self,
    customers::{self, Customer, NewCustomer},
};
use crate::time;

pub fn run(ctx: &Ctx, cmd: CustomerCmd) -> Result<()> {
    let mut conn = ctx.open()?;
    match cmd {
        CustomerCmd::Add { id, fields } => add(ctx, &mut conn, id, fields),
        CustomerCmd::List { stage: _ } => list(ctx, &conn),
        CustomerCmd::Show { customer } => show(ctx, &conn, &customer),
        CustomerCmd::Edit { customer, id, fields } => edit(ctx, &mut conn, &customer, id, fields),
        CustomerCmd::Remove { customer, force } => remove(ctx, &mut conn, &customer, force),
    }
}

fn opt_time(flag: &str, v: &str) -> Result<Option<i64>> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    time::parse_timestamp(v).map(Some).map_err(|e| anyhow!("--{flag} \"{v}\" {e}"))
}

fn opt_money(v: &str) -> Result<Option<i64>> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    parse_money(v).map(Some).map_err(|e| anyhow!("--mrr \"{v}\" {e}"))
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
    let c = NewCustomer {
        id: id.clone(),
        name: f.name.and_then(opt_str),
        email: f.email.and_then(opt_str),
        plan: f.plan.and_then(opt_str),
        mrr_cents: f.mrr.as_deref().map(opt_money).transpose()?.flatten(),
        signed_up_at: match f.signed_up.as_deref() {
            Some(s) => opt_time("signed-up", s)?,
            None => Some(ctx.now),
        },
        churned_at: f.churned.as_deref().map(|s| opt_time("churned", s)).transpose()?.flatten(),
    };
    store::write(conn, |tx| {
        if customers::find(tx, &id)?.is_some_and(|c| c.id == id) {
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
    f: CustomerFields,
) -> Result<()> {
    store::write(conn, |tx| {
        let mut c = customers::get(tx, key)?;
        if let Some(id) = new_id {
            let id = validate_id(&id)?;
            if id != c.id && customers::find(tx, &id)?.is_some_and(|o| o.id == id) {
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
        if let Some(v) = f.plan {
            c.plan = opt_str(v);
        }
        if let Some(v) = f.mrr {
            c.mrr_cents = opt_money(&v)?;
        }
        if let Some(v) = f.signed_up {
            c.signed_up_at = opt_time("signed-up", &v)?;
        }
        if let Some(v) = f.churned {
            c.churned_at = opt_time("churned", &v)?;
        }
        customers::update(tx, &c, ctx.now)?;
        ctx.info(format!("Updated customer {}", c.id));
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

fn list(ctx: &Ctx, conn: &Connection) -> Result<()> {
    let all = customers::list(conn)?;
    let mut rows = Rows::new(&["id", "name", "email", "plan", "mrr", "signed_up_at", "churned_at"]);
    for c in &all {
        rows.push(vec![
            c.id.clone().into(),
            c.name.clone().into(),
            c.email.clone().into(),
            c.plan.clone().into(),
            Value::opt_money(c.mrr_cents).into(),
            Value::opt_time(c.signed_up_at).into(),
            Value::opt_time(c.churned_at.filter(|t| *t <= ctx.now)).into(),
        ]);
    }
    if all.is_empty() {
        ctx.info("No customers yet: `csf import customers FILE` or `csf customer add ID`.");
    }
    ctx.print_rows(&rows)
}

fn show(ctx: &Ctx, conn: &Connection, key: &str) -> Result<()> {
    let c = customers::get(conn, key)?;
    let profile = profile_json(&c, ctx.now);
    match ctx.format_or(Format::Table) {
        Format::Json => render::out(&format!("{}\n", serde_json::to_string_pretty(&profile)?)),
        format => {
            let mut rows = Rows::new(&["field", "value"]);
            if let serde_json::Value::Object(m) = &profile {
                for (k, v) in m {
                    let text = match v {
                        serde_json::Value::Null => "-".to_string(),
                        serde_json::Value::String(s) => s.clone(),
                        v => v.to_string(),
                    };
                    rows.push(vec![render::header_label(k).into(), text.into()]);
                }
            }
            render::out(&rows.render(format, ctx.color)?)
        }
    }
}

fn profile_json(c: &Customer, now: i64) -> serde_json::Value {
    json!({
        "customer_id": c.id,
        "name": c.name,
        "email": c.email,
        "plan": c.plan,
        "mrr": c.mrr_cents.map(render::money_json),
        "signed_up_at": c.signed_up_at.map(time::rfc3339),
        "churned_at": c.churned_at.filter(|t| *t <= now).map(time::rfc3339),
    })
}
