use super::*;
use crate::domain::metrics::{self, MetricId};

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
    let md = render(&d, &Section::ALL, false);
    assert!(md.starts_with("## Customer Success Plan\n\n### Current State\n| Metric | Value | Target | Status |\n|--------|-------|--------|--------|\n| Avg first response | n/a | < 4 hours | ⚪ |\n"), "{md}");
    assert!(md.contains("No tickets in the last 30 days."));
    assert!(md.contains("### Support Scaling\n0.0 tickets per week"));
}

#[test]
fn data_at_the_start_of_a_list_item_cannot_open_a_block() {
    assert_eq!(item_start("- not a list"), "\\- not a list");
    assert_eq!(item_start("+1"), "\\+1");
    assert_eq!(item_start("12. twelve"), "12\\. twelve");
    assert_eq!(item_start("3) three"), "3\\) three");
    assert_eq!(item_start("2026 plans"), "2026 plans");
    assert_eq!(item_start("     indented"), "indented");
    assert_eq!(item_start("a|b *c* &copy;\nd"), "a\\|b \\*c\\* \\&copy;<br>d");
    assert_eq!(code("a`b\r\nc"), "a'b  c");
}

#[test]
fn every_section_renders_from_plain_structs() {
    let s = crate::domain::settings::Settings::from_stored(vec![]);
    let d = PlanData {
        days: 7,
        metrics: metrics::metrics(&metrics::Inputs { csat: (1, 2), ..Default::default() }, &s),
        categories: vec![CategoryCount {
            category: "- a|b".into(),
            tickets: 3,
            plan: Some("see [docs](x)".into()),
        }],
        tickets_in_period: 3,
        health: HealthSection {
            bands: [1, 0, 0, 1],
            critical: vec![CriticalCustomer {
                customer_id: "x`1".into(),
                name: Some("1. X | Y".into()),
                score: 9,
            }],
            mrr_at_risk: Some((Cents(4900), 2, 1)),
            backtest: Some((0.7412, Some(2.14), 39)),
            ..HealthSection::default()
        },
        risks: vec![RiskRow {
            customer_id: "x".into(),
            name: None,
            signal: "usage-drop".into(),
            detail: "a|b\nc".into(),
            response: "Re-engagement email".into(),
        }],
        onboarding: OnboardingSection {
            cohort_days: 30,
            cohort_size: 2,
            metrics: vec![Metric::judged(MetricId::ActivationRate, Some(50.0), 40.0, true, Some(40))],
        },
        tickets_4_weeks: 44,
        cadence: CadenceSection {
            last_scored: Some((crate::time::Day::parse_iso("2026-11-01").unwrap(), 19)),
            nps_90_days: 0,
            stale_usage: Some(
                "usage data ends 2026-11-01 (19 days ago): import fresh data before acting on health".into(),
            ),
            overdue: vec![OverdueTicket { id: "7".into(), customer: "X | Y".into(), past: "2 h".into() }],
        },
        ..Default::default()
    };
    let md = render(&d, &Section::ALL, true);
    for want in [
        "1. \\- a\\|b: 3 tickets (100%) - see \\[docs\\](x)\n",
        "(CSAT is 50% (n=2) against a target of > 90%): ",
        "1. \\- a\\|b guide: 3 tickets in the last 7 days and no doc recorded (`csf ticket doc - a|b URL` once published)\n",
        "| Critical (0-39) | 1 | Intervention required |\n",
        "- 1\\. X \\| Y (`x'1`): 9\n",
        "\nMRR at risk: $49.00 from 2 at-risk or critical customers (1 without MRR, counted as 0).\n",
        "\nBacktest: the score foretold 90-day churn with AUC 0.74 (lift 2.1×) over 39 samples — `csf health backtest`.\n",
        "| x | usage-drop | a\\|b<br>c | Re-engagement email |\n",
        "Signups in the last 30 days: 2.",
        "| Activation rate | 50% | > 40% | 🟢 |\n",
        "11.0 tickets per week (mean of the last 4 weeks): a VA for tier 1, the founder for tier 2.",
        "- Usage data is stale: usage data ends 2026-11-01 (19 days ago): import fresh data before acting on health\n",
        "- Health scores are 19 days old (last 2026-11-01)",
        "- No NPS responses in the last 90 days",
        "- 1 ticket(s) open past their response target: #7 (X \\| Y, 2 h past target)\n",
        "```mermaid\npie title Customer health\n    \"healthy\" : 1\n",
        "```mermaid\npie title Churn rate by month: no months yet\n",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    let only = render(&d, &[Section::SupportScaling, Section::CurrentState], false);
    let heads: Vec<&str> = only.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(heads, ["## Customer Success Plan", "### Current State", "### Support Scaling"]);
}
