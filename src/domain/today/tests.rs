use std::collections::BTreeMap;

use super::judge::{judge, within_days, DueStep, Facts, Sign};
use super::*;
use crate::domain::churn::Signal;
use crate::domain::sequence::{ONBOARDING, WINBACK};
use crate::money::Cents;
use crate::time::Day;
use crate::time::DAY;

const TODAY: Day = Day::from_number(20_000);
const NOW: i64 = 20_000 * DAY + 12 * 3600;

fn days_ago(d: i64) -> Option<i64> {
    Some(NOW - d * DAY)
}

/// A healthy, established, active customer nobody has touched.
fn healthy() -> Facts {
    Facts {
        score: Some(90),
        signed_up_at: days_ago(200),
        last_active: days_ago(1),
        active_blocks: 4,
        ..Facts::default()
    }
}

fn sign(signal: Signal) -> Sign {
    Sign { signal, detail: "figures".into(), response: signal.response(), predictive: true }
}

fn kind(f: &Facts) -> Option<Kind> {
    judge(f, NOW).map(|v| v.kind)
}

#[test]
fn a_healthy_established_customer_is_an_expansion_and_nothing_else() {
    assert_eq!(kind(&healthy()), Some(Kind::Expand));
    let v = judge(&healthy(), NOW).unwrap();
    assert!(v.reasons[0].starts_with("healthy (health 90), active 4 of the last 4 weeks"), "{v:?}");
}

#[test]
fn any_warning_sign_means_rescue_never_expand() {
    let f = Facts { signs: vec![sign(Signal::PaymentFailure)], ..healthy() };
    let v = judge(&f, NOW).unwrap();
    assert_eq!(v.kind, Kind::Rescue);
    assert_eq!(v.action, "Dunning sequence");
    assert!(v.reasons.contains(&"payment-failure: figures".to_string()), "{v:?}");
    // Touched this week: no rescue, and still no expansion pitch.
    let touched = Facts { last_touch: days_ago(2), ..f };
    assert_eq!(kind(&touched), None);
}

#[test]
fn at_risk_or_critical_or_silent_for_30_days_is_a_rescue() {
    assert_eq!(kind(&Facts { score: Some(59), ..healthy() }), Some(Kind::Rescue));
    assert_eq!(kind(&Facts { score: Some(60), active_blocks: 2, ..healthy() }), None, "neutral: nothing");
    let quiet = Facts { last_active: days_ago(30), ..healthy() };
    let v = judge(&quiet, NOW).unwrap();
    assert_eq!(v.kind, Kind::Rescue);
    assert!(v.reasons.iter().any(|r| r.starts_with("no usage for 30 days")), "{v:?}");
    assert_eq!(kind(&Facts { last_active: days_ago(29), ..healthy() }), Some(Kind::Expand));
    assert_eq!(kind(&Facts { last_touch: days_ago(6), score: Some(10), ..healthy() }), None);
    assert_eq!(kind(&Facts { last_touch: days_ago(7), score: Some(10), ..healthy() }), Some(Kind::Rescue));
}

#[test]
fn no_expansion_before_day_28_or_without_steady_use_or_after_a_touch() {
    assert_eq!(kind(&Facts { signed_up_at: days_ago(27), ..healthy() }), None);
    assert_eq!(kind(&Facts { signed_up_at: days_ago(28), ..healthy() }), Some(Kind::Expand));
    assert_eq!(kind(&Facts { active_blocks: 2, ..healthy() }), None);
    assert_eq!(kind(&Facts { last_touch: days_ago(29), ..healthy() }), None);
    assert_eq!(kind(&Facts { last_expand: days_ago(89), last_touch: days_ago(60), ..healthy() }), None);
    assert_eq!(
        kind(&Facts { last_expand: days_ago(90), last_touch: days_ago(90), ..healthy() }),
        Some(Kind::Expand)
    );
}

#[test]
fn a_new_signup_gets_its_onboarding_step_not_a_pitch() {
    let step = DueStep { sequence: "onboarding", step: ONBOARDING.steps[1], start_day: TODAY - 2 };
    let f = Facts {
        signed_up_at: days_ago(2),
        onboarding: Some(Box::new(step.clone())),
        active_blocks: 1,
        ..healthy()
    };
    let v = judge(&f, NOW).unwrap();
    assert_eq!(v.kind, Kind::Onboarding);
    assert_eq!(v.step, Some(step));
    assert!(v.reasons.contains(&"onboarding day 2: Quick win due".to_string()), "{v:?}");
}

#[test]
fn only_a_churned_customer_is_won_back() {
    let step = DueStep { sequence: "winback", step: WINBACK.steps[1], start_day: TODAY - 8 };
    let churned =
        Facts { churned_at: days_ago(8), score: None, winback: Some(Box::new(step.clone())), ..healthy() };
    let v = judge(&churned, NOW).unwrap();
    assert_eq!(v.kind, Kind::Winback);
    assert!(v.reasons[0].starts_with("churned on "), "{v:?}");
    // A paying customer with a win-back step is rescued instead.
    let paying = Facts { last_active: days_ago(38), winback: Some(Box::new(step)), ..healthy() };
    assert_eq!(kind(&paying), Some(Kind::Rescue));
    // Churned with no due step (past its window): nothing.
    assert_eq!(kind(&Facts { churned_at: days_ago(45), score: None, ..healthy() }), None);
}

#[test]
fn rank_puts_money_first_then_score_then_signup() {
    assert!(
        rank(Kind::Rescue, Some(Cents(50_000)), Some(50), None)
            < rank(Kind::Rescue, Some(Cents(100)), Some(10), None)
    );
    assert!(
        rank(Kind::Rescue, Some(Cents(100)), Some(10), None)
            < rank(Kind::Rescue, Some(Cents(100)), Some(30), None)
    );
    assert!(
        rank(Kind::Rescue, Some(Cents(1)), Some(90), None) < rank(Kind::Rescue, None, Some(0), None),
        "no MRR last"
    );
    assert!(
        rank(Kind::Expand, Some(Cents(100)), Some(95), None)
            < rank(Kind::Expand, Some(Cents(100)), Some(85), None)
    );
    assert!(rank(Kind::Onboarding, None, None, Some(10)) < rank(Kind::Onboarding, None, None, Some(20)));
}

#[test]
fn kinds_sort_in_their_order_then_by_rank_then_by_customer() {
    let a = |kind, rank: (i64, i64), customer: &str| Action {
        id: format!("{}-{customer}", Kind::name(kind)),
        kind,
        cid: 1,
        customer_id: customer.into(),
        name: None,
        email: None,
        mrr_cents: None,
        due_on: crate::time::Day::default(),
        rank,
        why: String::new(),
        action: String::new(),
        template: None,
        draft: None,
        effect: Effect::Touch,
        skipped_until: None,
        last_active: None,
        topic: None,
        risk: None,
        expected_loss: None,
        basis: None,
        target_at: None,
    };
    let mut v = vec![
        a(Kind::Expand, (0, 0), "e"),
        a(Kind::Winback, (0, 0), "w"),
        a(Kind::Ticket, (5, 0), "t2"),
        a(Kind::Onboarding, (0, 0), "o"),
        a(Kind::Rescue, (-100, 0), "r2"),
        a(Kind::Rescue, (-100, 0), "r1"),
        a(Kind::Rescue, (-500, 0), "r3"),
        a(Kind::Data, (0, 0), "d"),
        a(Kind::Ticket, (1, 0), "t1"),
    ];
    sort(&mut v);
    let ids: Vec<&str> = v.iter().map(|a| a.customer_id.as_str()).collect();
    assert_eq!(ids, ["d", "t1", "t2", "r3", "r1", "r2", "o", "w", "e"]);
}

#[test]
fn a_mistyped_id_suggests_the_nearest_due_ones() {
    let due = ["rescue-c00116", "rescue-c00117", "expand-acme", "winback-globex-7"];
    assert_eq!(suggest("RESCUE-C00116", due)[0], "rescue-c00116");
    assert_eq!(suggest("rescue-c0116", due)[0], "rescue-c00116");
    assert_eq!(suggest("winback-globex", due), ["winback-globex-7"]);
    assert!(suggest("zzz", due).is_empty());
    assert_eq!(edit_distance("kitten", "sitting"), 3);
}

#[test]
fn a_touch_counts_for_the_last_n_days_and_never_from_the_future() {
    assert!(within_days(days_ago(6), 7, NOW));
    assert!(!within_days(days_ago(7), 7, NOW));
    assert!(!within_days(Some(NOW + 1), 7, NOW));
}

#[test]
fn drafts_name_their_holes() {
    let mut v = BTreeMap::new();
    v.insert("name".to_string(), "Jane".to_string());
    let d = Draft::fill("onboarding-0", "Hi {name}, welcome to {product}.", &v);
    assert_eq!(d.missing, ["product"]);
    assert_eq!(d.text, "Hi Jane, welcome to {product}.");
    assert!(d.shown().starts_with("[NOT READY: fill {product} — csf config set product.name VALUE]"));
    v.insert("product".to_string(), "Acme".to_string());
    let d = Draft::fill("onboarding-0", "Hi {name}, welcome to {product}.", &v);
    assert_eq!(d.shown(), "Hi Jane, welcome to Acme.");
}

#[test]
fn a_draft_is_a_message_and_its_mailto_decodes_back() {
    let v = BTreeMap::from([("name".to_string(), "Jane".to_string())]);
    let d = Draft::fill("rescue", "Subject: Checking in & more?\n\nHi {name},\n\nHow is it going?\n", &v);
    let m = d.message(Some("jane@acme.example"), "unused");
    assert_eq!(m.subject, "Checking in & more?");
    assert_eq!(m.body, "Hi Jane,\n\nHow is it going?\n");
    assert_eq!(
        m.text(),
        "To: jane@acme.example\nSubject: Checking in & more?\nMIME-Version: 1.0\n\
         Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nHi Jane,\n\nHow is it going?\n"
    );
    let url = m.mailto();
    let (to, query) = url.strip_prefix("mailto:").unwrap().split_once('?').unwrap();
    assert_eq!(to, "jane@acme.example");
    let (s, b) = query.strip_prefix("subject=").unwrap().split_once("&body=").unwrap();
    assert_eq!(draft::decode(s).unwrap(), m.subject);
    assert_eq!(draft::decode(b).unwrap().replace("\r\n", "\n"), m.body);
    assert!(!url.contains(' ') && !url.contains('\n'));
    // No Subject: line: the default; a newline in data never adds a header.
    let m = Draft::fill("ack", "Hi", &v).message(Some("x@y\nBcc: evil@z"), "Re: export");
    assert!(
        m.text().starts_with("To: x@y Bcc: evil@z\nSubject: Re: export\nMIME-Version: 1.0\n"),
        "{}",
        m.text()
    );
    // Not ASCII: encoded words (RFC 2047), folded between them; the sender's name too.
    let long = "Votre compte — une question rapide sur l'équipe et les prochaines étapes";
    let m = Message { from: Some("Zoë Müller <zoe@acme.io>".into()), subject: long.into(), ..m };
    let text = m.text();
    assert!(text.starts_with("From: =?utf-8?B?"), "{text}");
    assert!(text.contains(" <zoe@acme.io>\n"), "{text}");
    assert!(text.lines().all(|l| l.len() <= 78), "{text}");
    assert!(text.contains("Subject: =?utf-8?B?") && text.contains("\n =?utf-8?B?"), "folded: {text}");
}

#[test]
fn rescues_rank_by_expected_loss_then_risk() {
    // $19 at 90% risk (17.10 expected) before $149 at 5% (7.45).
    assert_eq!(expected_loss(Some(Cents(1900)), 90.0), Cents(1710));
    assert_eq!(expected_loss(Some(Cents(14900)), 5.0), Cents(745));
    assert!(rescue_rank(Some(Cents(1900)), 90.0) < rescue_rank(Some(Cents(14900)), 5.0));
    // The same expected loss: the higher risk first.
    assert_eq!(expected_loss(Some(Cents(2000)), 50.0), expected_loss(Some(Cents(10000)), 10.0));
    assert!(rescue_rank(Some(Cents(2000)), 50.0) < rescue_rank(Some(Cents(10000)), 10.0));
    // No MRR: nothing at stake, after any loss, then by risk.
    assert_eq!(expected_loss(None, 80.0), Cents(0));
    assert!(rescue_rank(Some(Cents(100)), 1.0) < rescue_rank(None, 80.0));
    assert!(rescue_rank(None, 80.0) < rescue_rank(None, 10.0));
}

#[test]
fn a_sign_the_evidence_calls_not_predictive_raises_no_rescue_on_its_own() {
    let now = NOW;
    let weak = Sign { predictive: false, ..sign(Signal::UsageDrop) };
    let f = Facts { signs: vec![weak.clone()], ..healthy() };
    assert_ne!(judge::decide(&f, now), Some(Kind::Rescue));
    // It is still among the reasons when something else raises the rescue.
    let f = Facts { signs: vec![weak, sign(Signal::PaymentFailure)], ..healthy() };
    let v = judge::judge(&f, now).unwrap();
    assert_eq!(v.kind, Kind::Rescue);
    assert!(v.reasons.iter().any(|r| r.starts_with("usage-drop")), "{:?}", v.reasons);
}

#[test]
fn a_new_customer_is_rescued_only_for_a_failed_payment_or_negative_feedback() {
    let fresh = Facts {
        score: Some(20),
        signed_up_at: Some(NOW - 3600),
        last_active: None,
        new: true,
        onboarding: Some(Box::new(DueStep {
            sequence: ONBOARDING.name,
            step: ONBOARDING.steps[0],
            start_day: TODAY,
        })),
        ..Facts::default()
    };
    // Critical and without usage, but new: the welcome is the action.
    assert_eq!(judge::decide(&fresh, NOW), Some(Kind::Onboarding));
    let v = judge(&fresh, NOW).unwrap();
    assert!(v.reasons.iter().all(|r| !r.contains("critical") && !r.contains("no usage")), "{:?}", v.reasons);
    // A usage dip or a ticket burst does not rescue a new customer either.
    let dip = Facts { signs: vec![sign(Signal::UsageDrop), sign(Signal::SupportSpike)], ..fresh.clone() };
    assert_eq!(judge::decide(&dip, NOW), Some(Kind::Onboarding));
    // A failed payment or negative feedback does.
    for s in [Signal::PaymentFailure, Signal::NegativeFeedback] {
        let f = Facts { signs: vec![sign(s)], ..fresh.clone() };
        assert_eq!(judge::decide(&f, NOW), Some(Kind::Rescue), "{s:?}");
    }
    // The same customer past the grace period is rescued for its band.
    let old = Facts { new: false, ..fresh };
    assert_eq!(judge::decide(&old, NOW), Some(Kind::Rescue));
}

#[test]
fn each_expand_guard_blocks_the_upsell() {
    let base = healthy();
    assert_eq!(judge::decide(&base, NOW), Some(Kind::Expand));
    let blocked = [
        ("unhappy in 90 days", Facts { unhappy_90d: true, ..base.clone() }),
        ("a rescue done 29 days ago", Facts { last_rescue: days_ago(29), ..base.clone() }),
        ("11 points below a week ago", Facts { change_7d: Some(-11), ..base.clone() }),
        ("activity falling", Facts { declining: true, ..base.clone() }),
    ];
    for (why, f) in blocked {
        assert_eq!(judge::decide(&f, NOW), None, "{why}");
    }
    let allowed = [
        ("a rescue done 30 days ago", Facts { last_rescue: days_ago(30), ..base.clone() }),
        ("10 points below a week ago", Facts { change_7d: Some(-10), ..base.clone() }),
        ("no score a week ago", Facts { change_7d: None, ..base.clone() }),
    ];
    for (why, f) in allowed {
        assert_eq!(judge::decide(&f, NOW), Some(Kind::Expand), "{why}");
    }
}

#[test]
fn a_done_rescue_holds_until_something_new_or_30_days() {
    use super::judge::Basis;
    let risky = Facts { score: Some(30), signs: vec![sign(Signal::UsageDrop)], ..healthy() };
    assert_eq!(judge::decide(&risky, NOW), Some(Kind::Rescue));
    let basis = Basis::of(&risky);
    assert_eq!(Basis::parse(&basis.text()), basis, "{}", basis.text());
    // Done 8 days ago on the same evidence: still held (the 7 quiet days are over).
    let done = Facts {
        last_touch: days_ago(8),
        last_rescue: days_ago(8),
        rescue_basis: Some(basis),
        ..risky.clone()
    };
    assert_eq!(judge::decide(&done, NOW), None);
    // 30 days on: back.
    let month = Facts { last_touch: days_ago(30), last_rescue: days_ago(30), ..done.clone() };
    assert_eq!(judge::decide(&month, NOW), Some(Kind::Rescue));
    // A new sign, a worse band, or a new answer, rating or failed invoice: back at once (after 7 quiet days).
    let new_sign =
        Facts { signs: vec![sign(Signal::UsageDrop), sign(Signal::PaymentFailure)], ..done.clone() };
    assert_eq!(judge::decide(&new_sign, NOW), Some(Kind::Rescue));
    let worse = Facts { score: Some(45), ..done.clone() };
    assert_eq!(worse.score.map(crate::domain::health::Band::of), Some(crate::domain::health::Band::AtRisk));
    let done_at_risk = Facts { rescue_basis: Some(Basis::of(&worse)), ..worse.clone() };
    assert_eq!(judge::decide(&done_at_risk, NOW), None, "the same band");
    let now_critical = Facts { score: Some(20), ..done_at_risk.clone() };
    assert_eq!(judge::decide(&now_critical, NOW), Some(Kind::Rescue), "a worse band");
    let news = Facts { news_since_rescue: true, ..done.clone() };
    assert_eq!(judge::decide(&news, NOW), Some(Kind::Rescue));
    // A sign gone is not news.
    let fewer = Facts { signs: vec![], ..done };
    assert_eq!(judge::decide(&fewer, NOW), None);
}
