//! The Customer Success Plan (SPEC §9.2–§9.4) as GitHub-flavoured markdown,
//! rendered from plain structs. Every data-derived text is escaped.

use crate::domain::metrics::{self, Metric};
use crate::domain::targets::Status;
use crate::render::md_escape;

pub const SECTIONS: [&str; 9] = [
    "current-state",
    "top-issues",
    "improvements",
    "documentation",
    "health",
    "churn-risks",
    "onboarding",
    "support-scaling",
    "cadence",
];

/// Everything the plan says, gathered by the store.
#[derive(Debug, Clone, Default)]
pub struct PlanData {
    pub days: i64,
    pub metrics: Vec<Metric>,
    /// (category, tickets in the period, stored plan)
    pub categories: Vec<(String, i64, Option<String>)>,
    pub tickets_in_period: i64,
    /// Categories with a doc recorded.
    pub documented: Vec<String>,
    /// Count per band (healthy, neutral, at-risk, critical) of the latest scores.
    pub bands: [i64; 4],
    /// (id, name, score) of critical customers.
    pub critical: Vec<(String, String, i64)>,
    /// (customer, signal, detail, response)
    pub risks: Vec<(String, String, String, String)>,
    /// (label, value text, target text, status) and the cohort size.
    pub funnel: Vec<(String, String, String, Status)>,
    pub cohort_size: usize,
    pub tickets_4_weeks: i64,
    pub last_scored_day: Option<String>,
    pub days_since_scored: Option<i64>,
    pub nps_90_days: i64,
    /// (ticket id, customer, how far past target)
    pub overdue: Vec<(String, String, String)>,
    /// (month, rate) for the chart.
    pub churn_by_month: Vec<(String, Option<f64>)>,
}

pub fn render(d: &PlanData, sections: &[&str], charts: bool) -> String {
    let on = |s: &str| sections.contains(&s);
    let mut o = String::from("## Customer Success Plan\n");
    if on("current-state") {
        o.push_str("\n### Current State\n| Metric | Value | Target | Status |\n|--------|-------|--------|--------|\n");
        for m in &d.metrics {
            o.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                m.label,
                m.value_text(),
                m.target_text(),
                m.status.emoji()
            ));
        }
    }
    if on("top-issues") {
        o.push_str("\n### Top Issues\n");
        if d.categories.is_empty() {
            o.push_str(&format!("No tickets in the last {} days.\n", d.days));
        }
        for (i, (cat, n, plan)) in d.categories.iter().take(3).enumerate() {
            let share = *n as f64 * 100.0 / d.tickets_in_period.max(1) as f64;
            let plan = match plan {
                Some(p) => md_escape(p),
                None => format!("{} (suggested; store yours with `csf ticket plan`)", suggested_plan(cat)),
            };
            o.push_str(&format!(
                "{}. {}: {} ticket{} ({share:.0}%) - {plan}\n",
                i + 1,
                md_escape(cat),
                n,
                if *n == 1 { "" } else { "s" }
            ));
        }
    }
    if on("improvements") {
        o.push_str("\n### Improvements\n");
        let off: Vec<&Metric> =
            d.metrics.iter().filter(|m| matches!(m.status, Status::Yellow | Status::Red)).collect();
        if off.is_empty() {
            let nodata = d.metrics.iter().filter(|m| m.status == Status::NoData).count();
            if nodata == d.metrics.len() {
                o.push_str("1. Start measuring: import tickets, NPS answers and usage (`csf import`): every metric needs data to be judged\n");
            } else {
                o.push_str("1. Keep the weekly review: every measured metric is on target\n");
            }
        }
        for (i, m) in off.iter().enumerate() {
            o.push_str(&format!("{}. {}\n", i + 1, metrics::improvement(m)));
        }
    }
    if on("documentation") {
        o.push_str("\n### Documentation Needed\n");
        let mut items = Vec::new();
        for (cat, n, _) in &d.categories {
            if *n >= 3 && !d.documented.contains(cat) {
                items.push(format!(
                    "{} guide: {n} tickets in the last {} days and no doc recorded (`csf ticket doc {} URL` once published)",
                    md_escape(cat),
                    d.days,
                    md_escape(cat)
                ));
            }
        }
        if !d.documented.iter().any(|c| c == "getting-started") {
            items.push("Getting started guide: the first steps to first value (`csf ticket doc getting-started URL`)".into());
        }
        if !d.documented.iter().any(|c| c == "faq") {
            items.push("FAQ: answers to the most common questions (`csf ticket doc faq URL`)".into());
        }
        if items.is_empty() {
            o.push_str("Nothing missing: every common category has a doc.\n");
        }
        for (i, it) in items.iter().enumerate() {
            o.push_str(&format!("{}. {it}\n", i + 1));
        }
    }
    if on("health") {
        o.push_str("\n### Customer Health\n");
        let total: i64 = d.bands.iter().sum();
        if total == 0 {
            o.push_str("No health scores yet: run `csf health score` (nightly, from cron).\n");
        } else {
            o.push_str("| Status | Customers | Action |\n|--------|-----------|--------|\n");
            let names = [
                ("Healthy (80-100)", "Expansion opportunity"),
                ("Neutral (60-79)", "Monitor, engage"),
                ("At-risk (40-59)", "Proactive outreach"),
                ("Critical (0-39)", "Intervention required"),
            ];
            for (k, (label, action)) in names.iter().enumerate() {
                o.push_str(&format!("| {label} | {} | {action} |\n", d.bands[k]));
            }
            if !d.critical.is_empty() {
                o.push_str("\nCritical customers (intervention required):\n");
                for (id, name, score) in &d.critical {
                    o.push_str(&format!("- {} (`{}`): {score}\n", md_escape(name), id.replace('`', "'")));
                }
            }
            if charts {
                o.push_str("\n```mermaid\npie title Customer health\n");
                for (k, b) in ["healthy", "neutral", "at-risk", "critical"].iter().enumerate() {
                    o.push_str(&format!("    \"{b}\" : {}\n", d.bands[k]));
                }
                o.push_str("```\n");
            }
        }
    }
    if on("churn-risks") {
        o.push_str("\n### Churn Risks\n");
        if d.risks.is_empty() {
            o.push_str("No warning signs.\n");
        } else {
            o.push_str(
                "| Customer | Signal | Detail | Response |\n|----------|--------|--------|----------|\n",
            );
            for (c, s, det, r) in d.risks.iter().take(25) {
                o.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    md_escape(c),
                    md_escape(s),
                    md_escape(det),
                    md_escape(r)
                ));
            }
            if d.risks.len() > 25 {
                o.push_str(&format!("\n… and {} more: `csf churn risks`.\n", d.risks.len() - 25));
            }
        }
        if charts && !d.churn_by_month.is_empty() {
            let months: Vec<String> = d.churn_by_month.iter().map(|(m, _)| format!("\"{m}\"")).collect();
            let rates: Vec<String> =
                d.churn_by_month.iter().map(|(_, r)| format!("{:.1}", r.unwrap_or(0.0))).collect();
            let max = d.churn_by_month.iter().filter_map(|(_, r)| *r).fold(5.0_f64, f64::max).ceil();
            o.push_str(&format!(
                "\n```mermaid\nxychart-beta\n    title \"Churn rate by month (%)\"\n    x-axis [{}]\n    y-axis \"Churn %\" 0 --> {max}\n    bar [{}]\n```\n",
                months.join(", "),
                rates.join(", ")
            ));
        }
    }
    if on("onboarding") {
        o.push_str(&format!("\n### Onboarding\nSignups in the last 30 days: {}.\n\n", d.cohort_size));
        o.push_str("| Metric | Value | Goal | Status |\n|--------|-------|------|--------|\n");
        for (label, v, t, st) in &d.funnel {
            o.push_str(&format!("| {label} | {v} | {t} | {} |\n", st.emoji()));
        }
    }
    if on("support-scaling") {
        let per_week = d.tickets_4_weeks as f64 / 4.0;
        o.push_str(&format!(
            "\n### Support Scaling\n{per_week:.1} tickets per week (mean of the last 4 weeks): {}.\n",
            scaling(per_week)
        ));
    }
    if on("cadence") {
        o.push_str("\n### Tracking Cadence\n");
        let mut late = Vec::new();
        match (d.days_since_scored, &d.last_scored_day) {
            (Some(n), Some(day)) if n >= 7 => late.push(format!(
                "Health scores are {n} days old (last {day}): run `csf health score`, and nightly from cron"
            )),
            (None, _) => late.push(
                "Health scores have never been computed: run `csf health score`, and nightly from cron"
                    .into(),
            ),
            _ => {}
        }
        if d.nps_90_days == 0 {
            late.push("No NPS responses in the last 90 days: send the quarterly NPS survey".into());
        }
        if !d.overdue.is_empty() {
            let list: Vec<String> = d
                .overdue
                .iter()
                .take(10)
                .map(|(id, c, past)| format!("#{} ({}, {past} past target)", md_escape(id), md_escape(c)))
                .collect();
            late.push(format!(
                "{} ticket(s) open past their response target: {}",
                d.overdue.len(),
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
    o
}

/// SPEC §9.3.
pub fn scaling(per_week: f64) -> &'static str {
    if per_week < 10.0 {
        "the founder handles all support"
    } else if per_week < 30.0 {
        "a VA for tier 1, the founder for tier 2"
    } else if per_week < 100.0 {
        "time for a part-time support hire"
    } else {
        "a dedicated support team"
    }
}

/// A starting plan for a category that has none.
pub fn suggested_plan(category: &str) -> &'static str {
    match category {
        "billing" => "a self-serve billing page and a billing FAQ; answer with a canned reply",
        "bug" | "bugs" => "triage weekly, publish known issues with workarounds, reply with the fix version",
        "onboarding" | "setup" | "getting-started" => {
            "improve the setup guide and the welcome email; offer a short call"
        }
        "feature-request" => "log requests on a public roadmap and reply with its link",
        "performance" => "measure the slow paths, fix the worst, and tell affected customers",
        "integrations" | "integration" => "a step-by-step guide per integration and a test connection button",
        "account" | "login" | "access" => "a self-serve account page and a password reset guide",
        _ => "write a help article with the standard answer and reply with a template",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_thresholds() {
        assert_eq!(scaling(9.9), "the founder handles all support");
        assert_eq!(scaling(10.0), "a VA for tier 1, the founder for tier 2");
        assert_eq!(scaling(30.0), "time for a part-time support hire");
        assert_eq!(scaling(100.0), "a dedicated support team");
    }

    #[test]
    fn an_empty_plan_is_still_a_plan() {
        let d = PlanData {
            days: 30,
            metrics: metrics::metrics(
                &Default::default(),
                &crate::domain::settings::Settings::from_stored(vec![]),
            ),
            ..Default::default()
        };
        let md = render(&d, &SECTIONS, false);
        assert!(md.starts_with("## Customer Success Plan\n\n### Current State\n| Metric | Value | Target | Status |\n|--------|-------|--------|--------|\n| Avg first response | n/a | < 4 hours | ⚪ |\n"), "{md}");
        assert!(md.contains("No tickets in the last 30 days."));
        assert!(md.contains("### Support Scaling\n0.0 tickets per week"));
    }
}
