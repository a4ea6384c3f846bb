//! `csf demo`: a temporary database with example data, and what csf shows of it.

use anyhow::{Context as _, Result};

use crate::app::{backtest, churn, health, plan, tickets, today};
use crate::context::Ctx;
use crate::domain::health::Band;
use crate::domain::plan::Section;
use crate::render::{self, out, Rows};
use crate::{example, store, time};

pub fn run(ctx: &Ctx) -> Result<()> {
    // Never the user's database: a private folder (mode 0700) with an
    // unpredictable name, created exclusively, and removed when `dir` drops —
    // after an error or a closed pipe too. The database inside is created
    // with O_EXCL (never through a planted file or symlink).
    let dir = tempfile::Builder::new().prefix("csf-demo-").tempdir().with_context(|| {
        format!(
            "could not create a temporary folder in {}; set TMPDIR to a writable folder",
            std::env::temp_dir().display()
        )
    })?;
    let db = dir.path().join("demo.db");
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(&db).with_context(|| format!("could not create the demo database {}", db.display()))?;
    show(ctx, db)
}

fn show(ctx: &Ctx, db: std::path::PathBuf) -> Result<()> {
    let demo = ctx.with_db(db);
    let mut conn = store::open(&demo.db_path)?;
    example::load(&mut conn, ctx.now())?;
    let settings = demo.settings(&conn)?;
    let now = ctx.now();
    let summary = health::score_all(&mut conn, &settings, now)?;
    out(&format!(
        "# csf demo — example customers as of {}\n\n\
         A temporary database with example customers, their usage, NPS answers,\n\
         invoices and support tickets over the past year, dated relative to now and scored.\n\n\
         ## Customer health (`csf health list`)\n\n",
        time::iso_date(now)
    ))?;
    let latest = health::latest(&conn, &settings, now, None, health::Sort::Score)?;
    if let Some(day) = latest.iter().map(|l| l.snap.day).max() {
        demo.info(format!(
            "Stored scores: each customer's latest snapshot (newest {day}); `csf health show ID` computes one live."
        ));
    }
    demo.print_rows(&render::health::list_rows(&latest))?;
    out(&format!(
        "\n{} scored: {} healthy, {} neutral, {} at-risk, {} critical.\n",
        summary.scores.len(),
        summary.count(Band::Healthy),
        summary.count(Band::Neutral),
        summary.count(Band::AtRisk),
        summary.count(Band::Critical)
    ))?;
    if let Some((auc, lift, samples)) = backtest::plan_summary(&conn, &settings, now)? {
        out(&format!(
            "Backtest (`csf health backtest`): over {samples} past scores, a customer who churned within 90 days \
             had scored below one who stayed {:.0}% of the time (AUC {auc:.2}){}.\n",
            auc * 100.0,
            lift.map_or(String::new(), |l| format!("; at-risk and critical customers churned {l:.1}× as often"))
        ))?;
    }
    out("\n## This morning (`csf today`)\n\n")?;
    let morning = today::morning(&conn, &settings, now)?;
    let limit = settings.count("today.limit") as usize;
    let mut rows = Rows::new(&["id", "why", "action"]);
    for a in morning.due(&[]).take(limit) {
        rows.push(vec![a.id.into(), a.why.into(), a.action.into()]);
    }
    demo.print_rows(&rows)?;
    let total = morning.count(&[]);
    if let Some(line) = render::today::more_line(limit.min(total), total) {
        out(&line)?;
    }
    out("\n## Open tickets and their response targets (`csf ticket list --open`)\n\n")?;
    let open = tickets::list(&conn, &settings, now, tickets::Filter { open: true, ..Default::default() })?;
    demo.print_rows(&render::tickets::list_rows(&open, &settings, now))?;
    out("\n## Churn risks (`csf churn risks`)\n\n")?;
    let mut rows = Rows::new(&["customer_id", "signal", "detail", "response"]);
    for r in churn::risks(&conn, now, &[])? {
        rows.push(vec![
            r.customer_id.into(),
            r.risk.signal.name().into(),
            r.risk.detail.into(),
            r.risk.response.into(),
        ]);
    }
    demo.print_rows(&rows)?;
    out("\nAnd the plan that `csf report plan` writes for your docs:\n\n")?;
    let data = plan::gather(&conn, &settings, now, 30, &Section::ALL, false)?;
    out(&render::plan::render(&data, &Section::ALL, false))?;
    ctx.info(format!(
        "\nThat was a temporary database, now deleted. To start with your own data:\n  \
         csf init && csf import customers customers.csv\n\
         or load these examples into {}: csf init --example",
        ctx.db_path.display()
    ));
    Ok(())
}
