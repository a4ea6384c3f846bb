//! The Customer Success Plan as GitHub-flavoured markdown, written from the
//! plain structs of `domain::plan`. Every data-derived text is escaped.

use crate::domain::metrics::Metric;
use crate::domain::plan::*;
use crate::domain::targets::Status;
use crate::money::Cents;
use crate::render::figure;
use crate::render::md_escape;

/// The plan as markdown: the title, then the chosen sections in the order of
/// [`Section::ALL`]; `charts` adds the mermaid blocks to health and churn risks.
pub fn render(d: &PlanData, sections: &[Section], charts: bool) -> String {
    let mut o = String::from("## Customer Success Plan\n");
    for s in Section::ALL.iter().filter(|s| sections.contains(s)) {
        o.push('\n');
        match s {
            Section::CurrentState => current_state(&mut o, d),
            Section::TopIssues => top_issues(&mut o, d),
            Section::Improvements => improvements(&mut o, d),
            Section::Documentation => documentation(&mut o, d),
            Section::Trends => crate::render::trends::plan_section(&mut o, &d.trends, charts),
            Section::Revenue => revenue(&mut o, d.revenue.as_ref()),
            Section::Health => health(&mut o, &d.health, charts),
            Section::ChurnRisks => churn_risks(&mut o, d, charts),
            Section::Onboarding => onboarding(&mut o, &d.onboarding),
            Section::SupportScaling => support_scaling(&mut o, d.tickets_4_weeks),
            Section::Cadence => cadence(&mut o, &d.cadence),
        }
    }
    o
}

/// A metric as a row of the framework's tables: label, value, target, emoji.
fn metric_line(m: &Metric) -> String {
    format!(
        "| {} | {} | {} | {} |\n",
        m.label(),
        figure::value_text(m),
        figure::target_text(m),
        crate::render::emoji(m.status)
    )
}

fn current_state(o: &mut String, d: &PlanData) {
    o.push_str(
        "### Current State\n| Metric | Value | Target | Status |\n|--------|-------|--------|--------|\n",
    );
    for m in &d.metrics {
        o.push_str(&metric_line(m));
    }
    if let Some(m) = &d.revenue_churn {
        o.push_str(&format!(
            "\nRevenue churn: {} against a target of {} {} (MRR of the customers who churned ÷ MRR of those active at the start).\n",
            figure::value_text(m),
            figure::target_text(m),
            crate::render::emoji(m.status)
        ));
    }
    if !d.period_from.is_empty() {
        o.push_str(&format!("\nLast {} days: {} to {}.\n", d.days, d.period_from, d.period_to));
    }
}

fn top_issues(o: &mut String, d: &PlanData) {
    o.push_str("### Top Issues\n");
    if d.categories.is_empty() {
        o.push_str(&format!("No tickets in the last {} days.\n", d.days));
    }
    for (i, c) in d.categories.iter().take(3).enumerate() {
        let share = c.tickets as f64 * 100.0 / d.tickets_in_period.max(1) as f64;
        let plan = match &c.plan {
            Some(p) => text(p),
            None => {
                format!("{} (suggested; store yours with `csf ticket plan`)", suggested_plan(&c.category))
            }
        };
        o.push_str(&format!(
            "{}. {}: {} ticket{} ({share:.0}%) - {plan}\n",
            i + 1,
            item_start(&c.category),
            c.tickets,
            if c.tickets == 1 { "" } else { "s" }
        ));
    }
}

fn improvements(o: &mut String, d: &PlanData) {
    o.push_str("### Improvements\n");
    let off: Vec<&Metric> =
        d.metrics.iter().filter(|m| matches!(m.status, Status::Yellow | Status::Red)).collect();
    if off.is_empty() {
        if d.metrics.iter().all(|m| m.status == Status::NoData) {
            o.push_str("1. Start measuring: import tickets, NPS answers and usage (`csf import`): every metric needs data to be judged\n");
        } else {
            o.push_str("1. Keep the weekly review: every measured metric is on target\n");
        }
    }
    let guided = !d.health.band_alerts_advised();
    for (i, step) in off.iter().filter_map(|m| figure::improvement_guided(m, guided)).enumerate() {
        o.push_str(&format!("{}. {step}\n", i + 1));
    }
}

fn documentation(o: &mut String, d: &PlanData) {
    o.push_str("### Documentation Needed\n");
    let documented = |c: &str| d.documented.iter().any(|k| k == c);
    let mut items: Vec<String> = d
        .categories
        .iter()
        .filter(|c| c.tickets >= 3 && !documented(&c.category))
        .map(|c| {
            format!(
                "{} guide: {} tickets in the last {} days and no doc recorded (`csf ticket doc {} URL` once published)",
                item_start(&c.category),
                c.tickets,
                d.days,
                code(&c.category)
            )
        })
        .collect();
    if !documented("getting-started") {
        items.push(
            "Getting started guide: the first steps to first value (`csf ticket doc getting-started URL`)"
                .into(),
        );
    }
    if !documented("faq") {
        items.push("FAQ: answers to the most common questions (`csf ticket doc faq URL`)".into());
    }
    if items.is_empty() {
        o.push_str("Nothing missing: every common category has a doc.\n");
    }
    for (i, it) in items.iter().enumerate() {
        o.push_str(&format!("{}. {it}\n", i + 1));
    }
}

fn health(o: &mut String, h: &HealthSection, charts: bool) {
    o.push_str("### Customer Health\n");
    if h.bands.iter().sum::<i64>() == 0 {
        o.push_str("No health scores yet: run `csf health score` (nightly, from cron).\n");
        return;
    }
    o.push_str("| Status | Customers | Action |\n|--------|-----------|--------|\n");
    let names = [
        ("Healthy (80-100)", "Expansion opportunity"),
        ("Neutral (60-79)", "Monitor, engage"),
        ("At-risk (40-59)", "Proactive outreach"),
        ("Critical (0-39)", "Intervention required"),
    ];
    for ((label, action), n) in names.iter().zip(h.bands) {
        o.push_str(&format!("| {label} | {n} | {action} |\n"));
    }
    if !h.critical.is_empty() {
        o.push_str("\nCritical customers (intervention required):\n");
        for c in &h.critical {
            let name = item_start(c.name.as_deref().unwrap_or(&c.customer_id));
            o.push_str(&format!("- {name} (`{}`): {}\n", code(&c.customer_id), c.score));
        }
    }
    if let Some((cents, n, without)) = h.mrr_at_risk {
        o.push_str(&format!("\n{}\n", mrr_at_risk_line(cents, n, without)));
    }
    if let Some((auc, lift, samples)) = h.backtest {
        let lift = lift.map_or(String::new(), |l| format!(" (lift {l:.1}×)"));
        o.push_str(&format!(
            "\nBacktest: the score foretold 90-day churn with AUC {auc:.2}{lift} over {samples} samples — `csf health backtest`.\n"
        ));
    }
    if let Some(m) = &h.measures {
        let signs_better = h.evidence.as_ref().is_some_and(|e| e.signs_beat_score());
        o.push_str(&format!("\n{}.\n", crate::render::backtest::verdict_sentence(m, signs_better)));
    }
    if let Some(e) = &h.evidence {
        let mut s = crate::render::evidence::summary(e);
        if let Some(first) = s.get(..1) {
            s = format!("{}{}", first.to_uppercase(), &s[1..]);
        }
        o.push_str(&format!("\nEvidence: {s} — `csf health evidence`.\n"));
        if !h.band_alerts_advised() {
            o.push_str(
                "Alert nightly on the warning signs, not on the score's bands: `csf churn risks --fail-on any`.\n",
            );
        }
    }
    if charts {
        o.push_str("\n```mermaid\npie title Customer health\n");
        for (b, n) in ["healthy", "neutral", "at-risk", "critical"].iter().zip(h.bands) {
            o.push_str(&format!("    \"{b}\" : {n}\n"));
        }
        o.push_str("```\n");
    }
}

/// "MRR at risk: $1234.00 from 3 at-risk or critical customers (1 without MRR, counted as 0)."
pub fn mrr_at_risk_line(cents: Cents, customers: i64, without: i64) -> String {
    if customers == 0 {
        return format!(
            "MRR at risk: {} (no customer in at-risk or critical).",
            crate::render::money_shown(Cents::ZERO)
        );
    }
    let without = match without {
        0 => String::new(),
        n => format!(" ({n} without MRR, counted as 0)"),
    };
    format!(
        "MRR at risk: {} from {customers} at-risk or critical customer{}{without}.",
        crate::render::money_shown(cents),
        if customers == 1 { "" } else { "s" }
    )
}

fn churn_risks(o: &mut String, d: &PlanData, charts: bool) {
    o.push_str("### Churn Risks\n");
    if d.risks.is_empty() {
        o.push_str("No warning signs.\n");
    } else {
        o.push_str("| Customer | Signal | Detail | Response |\n|----------|--------|--------|----------|\n");
        for r in d.risks.iter().take(25) {
            o.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                text(r.name.as_deref().unwrap_or(&r.customer_id)),
                text(&r.signal),
                text(&r.detail),
                text(&r.response)
            ));
        }
        if d.risks.len() > 25 {
            o.push_str(&format!("\n… and {} more: `csf churn risks`.\n", d.risks.len() - 25));
        }
    }
    if charts {
        o.push_str(&churn_chart(&d.churn_by_month));
    }
}

/// A bar per month; a pie saying so when there are no months to show.
fn churn_chart(months: &[(String, Option<f64>)]) -> String {
    if months.is_empty() {
        return "\n```mermaid\npie title Churn rate by month: no months yet\n    \"no data\" : 1\n```\n"
            .into();
    }
    let labels: Vec<String> = months.iter().map(|(m, _)| format!("\"{}\"", m.replace('"', "'"))).collect();
    let rates: Vec<String> = months.iter().map(|(_, r)| format!("{:.1}", r.unwrap_or(0.0))).collect();
    let max = months.iter().filter_map(|(_, r)| *r).fold(5.0_f64, f64::max).ceil();
    format!(
        "\n```mermaid\nxychart-beta\n    title \"Churn rate by month (%)\"\n    x-axis [{}]\n    y-axis \"Churn %\" 0 --> {max}\n    bar [{}]\n```\n",
        labels.join(", "),
        rates.join(", ")
    )
}

fn onboarding(o: &mut String, f: &OnboardingSection) {
    o.push_str(&format!(
        "### Onboarding\nSignups in the last {} days: {}.\n\n",
        f.cohort_days, f.cohort_size
    ));
    o.push_str("| Metric | Value | Goal | Status |\n|--------|-------|------|--------|\n");
    for m in &f.metrics {
        o.push_str(&metric_line(m));
    }
}

/// This month's MRR movements, NRR and GRR (docs/revenue.md).
fn revenue(o: &mut String, r: Option<&(String, crate::domain::revenue::Movements)>) {
    o.push_str("### Revenue\n");
    let Some((month, m)) = r else {
        o.push_str("No revenue history yet.\n");
        return;
    };
    let money = crate::render::money_shown;
    // A decrease with its minus sign, never a signed zero (−$0.00).
    let less = |c: Cents| if c == Cents::ZERO { money(c) } else { format!("−{}", money(c)) };
    o.push_str(&format!(
        "{month} to date: MRR {} at the start, {} now — {} new, {} expansion, {} contraction, {} churned, {} reactivation.\n",
        money(m.mrr_start),
        money(m.mrr_end),
        money(m.new),
        money(m.expansion),
        less(m.contraction),
        less(m.churned),
        money(m.reactivation)
    ));
    let pct = |v: Option<f64>| v.map_or("n/a".to_string(), |p| format!("{}%", figure::fixed(p, 1)));
    o.push_str(&format!(
        "Net revenue retention {}, gross revenue retention {} (`csf report revenue` has every month).\n",
        pct(m.nrr()),
        pct(m.grr())
    ));
}

fn support_scaling(o: &mut String, tickets_4_weeks: i64) {
    let per_week = tickets_4_weeks as f64 / 4.0;
    o.push_str(&format!(
        "### Support Scaling\n{per_week:.1} tickets per week (mean of the last 4 weeks): {}.\n",
        scaling(per_week)
    ));
}

fn cadence(o: &mut String, c: &CadenceSection) {
    o.push_str("### Tracking Cadence\n");
    let mut late = Vec::new();
    if let Some(stale) = &c.stale_usage {
        late.push(format!("Usage data is stale: {}", text(stale)));
    }
    match &c.last_scored {
        Some((day, n)) if *n >= 7 => late.push(format!(
            "Health scores are {n} days old (last {day}): run `csf health score`, and nightly from cron"
        )),
        None => late.push(
            "Health scores have never been computed: run `csf health score`, and nightly from cron".into(),
        ),
        _ => {}
    }
    if c.nps_90_days == 0 {
        late.push("No NPS responses in the last 90 days: send the quarterly NPS survey".into());
    }
    if !c.overdue.is_empty() {
        let list: Vec<String> = c
            .overdue
            .iter()
            .take(10)
            .map(|t| format!("#{} ({}, {} past target)", text(&t.id), text(&t.customer), text(&t.past)))
            .collect();
        let more = if c.overdue.len() > 10 { ", … (`csf ticket list --overdue`)" } else { "" };
        late.push(format!(
            "{} ticket(s) open past their response target: {}{more}",
            c.overdue.len(),
            list.join(", ")
        ));
    }
    if late.is_empty() {
        o.push_str("Nothing overdue: health scored this week, NPS collected this quarter, no ticket past its target.\n");
    }
    for l in late {
        o.push_str(&format!("- {l}\n"));
    }
}

/// Data inside a line: [`md_escape`], and `&` too so that data never turns
/// into an HTML entity (`&copy;` stays as written).
fn text(s: &str) -> String {
    md_escape(s).replace('&', "\\&")
}

/// Data at the start of a list item, where it could otherwise open a nested
/// block: a list marker (`- `, `+ `, `1. `, `1) `) gets a backslash and
/// leading spaces (an indented code block) are dropped.
fn item_start(s: &str) -> String {
    let t = text(s.trim_start());
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if t.starts_with(['-', '+', '=']) {
        format!("\\{t}")
    } else if digits > 0 && t[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &t[..digits], &t[digits..])
    } else {
        t
    }
}

/// Data inside a code span: on one line, without backticks.
fn code(s: &str) -> String {
    crate::render::visible(&s.replace(['\r', '\n'], " ").replace('`', "'")).into_owned()
}

#[cfg(test)]
mod tests;
