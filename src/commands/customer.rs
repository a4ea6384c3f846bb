//! `csf customer add | list | show | edit | remove` (docs/schema.md).

use anyhow::Result;
use rusqlite::Connection;

use crate::app::customers as app;
use crate::cli::customer::{CustomerCmd, CustomerFields};
use crate::context::Ctx;
use crate::domain::health::Stage;
use crate::render::{self, customer as rc, Format};
use crate::store::customers;

pub fn run(ctx: &Ctx, cmd: CustomerCmd) -> Result<()> {
    let mut conn = if matches!(cmd, CustomerCmd::Add { .. }) { ctx.open_or_create()? } else { ctx.open()? };
    match cmd {
        CustomerCmd::Add { id, fields } => add(ctx, &mut conn, id, fields),
        CustomerCmd::List { stage } => list(ctx, &conn, stage.map(Stage::from)),
        CustomerCmd::Show { customer } => show(ctx, &conn, &customer),
        CustomerCmd::Edit { customer, id, effective, fields } => {
            edit(ctx, &mut conn, &customer, id, effective, fields)
        }
        CustomerCmd::Remove { customer, force } => remove(ctx, &mut conn, &customer, force),
    }
}

fn fields(f: CustomerFields) -> app::Fields {
    let CustomerFields { name, email, contact, salutation, plan, mrr, signed_up, churned } = f;
    app::Fields { name, email, contact, salutation, plan, mrr, signed_up, churned }
}

fn currency(ctx: &Ctx, conn: &Connection) -> Result<String> {
    Ok(ctx.settings(conn)?.get("currency").unwrap_or_else(|| "USD".into()))
}

fn add(ctx: &Ctx, conn: &mut Connection, id: String, f: CustomerFields) -> Result<()> {
    let currency = currency(ctx, conn)?;
    let id = app::add(conn, &id, fields(f), &currency, ctx.now())?;
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
    let currency = currency(ctx, conn)?;
    let e = app::edit(conn, key, new_id, effective, fields(f), &currency, ctx.now())?;
    ctx.info(rc::edit_said(&e.customer, e.mrr, e.recorded, e.at, e.plan_edited, ctx.now()));
    Ok(())
}

fn remove(ctx: &Ctx, conn: &mut Connection, key: &str, force: bool) -> Result<()> {
    let id = app::remove(conn, key, force)?;
    ctx.info(format!("Removed customer {id}"));
    Ok(())
}

fn list(ctx: &Ctx, conn: &Connection, stage: Option<Stage>) -> Result<()> {
    let settings = ctx.settings(conn)?;
    let all = app::list(conn, &settings, ctx.now(), stage)?;
    let rows = all.iter().map(|l| rc::list_row(l, ctx.now()));
    if all.is_empty() && customers::list(conn)?.is_empty() {
        ctx.info("No customers yet: `csf import customers FILE` or `csf customer add ID`.");
        return ctx.print_each(rc::list_head(), rows);
    }
    ctx.print_each(
        match stage {
            Some(s) => rc::list_head().when_empty(format!("No customers at the {} stage.", s.name())),
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
    let shown = app::show(conn, &settings, ctx.now(), key)?;
    if ctx.format_or(Format::Table) == Format::Json {
        return render::out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&rc::show_json(&shown, ctx.now()))?
        ));
    }
    render::out(&rc::show_text(&shown, ctx.now(), ctx.color))
}
