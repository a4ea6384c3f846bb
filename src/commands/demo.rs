//! `csf demo`: a temporary database with example data, and what csf shows of it.

use anyhow::{Context as _, Result};

use crate::commands::health as health_cmd;
use crate::context::Ctx;
use crate::render::out;
use crate::{example, store, time};

pub fn run(ctx: &Ctx) -> Result<()> {
    // Never the user's database: a fresh folder that is removed afterwards.
    let dir = std::env::temp_dir().join(format!("csf-demo-{}-{}", std::process::id(), ctx.now));
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    let result = show(ctx, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn show(ctx: &Ctx, dir: &std::path::Path) -> Result<()> {
    let demo = Ctx { db_path: dir.join("demo.db"), ..ctx.clone() };
    let mut conn = store::open(&demo.db_path)?;
    example::load(&mut conn, ctx.now)?;
    let settings = demo.settings(&conn)?;
    let summary = health_cmd::score_all(&mut conn, &settings, ctx.now)?;
    out(&format!(
        "# csf demo — example customers as of {}\n\n\
         A temporary database with example customers, their usage, NPS answers,\n\
         invoices and support tickets over the past year, dated relative to now and scored.\n\n\
         ## Customer health (`csf health list`)\n\n",
        time::iso_date(ctx.now)
    ))?;
    health_cmd::print_list(&demo, &conn)?;
    out(&format!(
        "\n{} scored: {} healthy, {} neutral, {} at-risk, {} critical.\n",
        summary.scores.len(),
        summary.count(crate::domain::health::Band::Healthy),
        summary.count(crate::domain::health::Band::Neutral),
        summary.count(crate::domain::health::Band::AtRisk),
        summary.count(crate::domain::health::Band::Critical)
    ))?;
    if let Some((auc, lift, samples)) = crate::commands::backtest::plan_summary(&conn, &settings, ctx.now)? {
        out(&format!(
            "Backtest (`csf health backtest`): over {samples} past scores, a customer who churned within 90 days \
             had scored below one who stayed {:.0}% of the time (AUC {auc:.2}){}.\n",
            auc * 100.0,
            lift.map_or(String::new(), |l| format!("; at-risk and critical customers churned {l:.1}× as often"))
        ))?;
    }
    out("\n## This morning (`csf today`)\n\n")?;
    let actions = crate::commands::today::actions(&conn, &settings, ctx.now)?;
    let mut rows = crate::render::Rows::new(&["id", "why", "action"]);
    for a in &actions {
        rows.push(vec![a.id.clone().into(), a.why.clone().into(), a.action.clone().into()]);
    }
    demo.print_rows(&rows)?;
    out("\n## Open tickets and their response targets (`csf ticket list --open`)\n\n")?;
    crate::commands::ticket::print_open(&demo, &conn)?;
    out("\n## Churn risks (`csf churn risks`)\n\n")?;
    let risks = crate::commands::churn::risks(&conn, ctx.now, &[])?;
    let mut rows = crate::render::Rows::new(&["customer_id", "signal", "detail", "response"]);
    for (id, _, r) in risks {
        rows.push(vec![id.into(), r.signal.into(), r.detail.into(), r.response.into()]);
    }
    demo.print_rows(&rows)?;
    out("\nAnd the plan that `csf report plan` writes for your docs:\n\n")?;
    let plan = crate::commands::report::plan_markdown(&conn, &settings, ctx.now, 30)?;
    out(&plan)?;
    ctx.info(format!(
        "\nThat was a temporary database, now deleted. To start with your own data:\n  \
         csf init && csf import customers customers.csv\n\
         or load these examples into {}: csf init --example",
        ctx.db_path.display()
    ));
    Ok(())
}
