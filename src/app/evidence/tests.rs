use super::*;
use crate::import::{self, ImportKind};
use crate::time::{iso_date, DAY};

/// splitmix64: the same book every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: i64) -> i64 {
        (self.next() % n.max(1) as u64) as i64
    }
}

fn stamp(ts: i64) -> String {
    crate::time::rfc3339(ts)
}

/// 80 customers over 500 days: usage with counts, NPS of every score,
/// tickets (bursts, CSAT, feature requests resolved or not), invoices with
/// failures, churns — every sign appears at some cutoff.
pub(crate) fn generated(now: i64) -> rusqlite::Connection {
    let mut rng = Rng(7);
    let today = Day::of(now);
    let mut customers = String::from("id,name,plan,mrr,signed_up_at,churned_at\n");
    let mut usage = String::from("customer,timestamp,event,count\n");
    let mut nps = String::from("customer,responded_at,score\n");
    let mut billing = String::from("customer,date,amount,status\n");
    let mut tickets = String::from("id,customer,subject,category,created_at,resolved_at,csat\n");
    let mut tid = 0;
    for i in 0..80 {
        let signup = today - 60 - rng.below(440);
        let churn = (rng.below(4) == 0).then(|| signup + 40 + rng.below(today - signup - 40));
        let end = churn.unwrap_or(today);
        let churned_at = churn.map(|d| stamp(d.start() + 3600)).unwrap_or_default();
        customers.push_str(&format!("c{i:03},C {i},pro,49,{},{churned_at}\n", stamp(signup.start() + 600)));
        let quiet_from = end - rng.below(60);
        let mut d = signup;
        while d < end {
            if d < quiet_from || rng.below(5) == 0 {
                let ts = d.start() + rng.below(DAY);
                usage.push_str(&format!("c{i:03},{},ev{},{}\n", stamp(ts), rng.below(6), 1 + rng.below(4)));
            }
            d = d + 1 + rng.below(4);
        }
        for _ in 0..rng.below(4) {
            let day = signup + rng.below(end - signup);
            nps.push_str(&format!("c{i:03},{},{}\n", stamp(day.start() + rng.below(DAY)), rng.below(11)));
        }
        let mut m = signup;
        while m < end {
            let status = if rng.below(8) == 0 { "failed" } else { "paid" };
            billing.push_str(&format!("c{i:03},{},49,{status}\n", iso_date(m.start())));
            m = m + 30;
        }
        for _ in 0..rng.below(7) {
            tid += 1;
            let day = signup + rng.below(end - signup);
            let created = day.start() + rng.below(DAY);
            let category = if rng.below(3) == 0 { "feature-request" } else { "bug" };
            let resolved =
                if rng.below(2) == 0 { stamp(created + rng.below(40) * DAY) } else { String::new() };
            let csat = if resolved.is_empty() { String::new() } else { (1 + rng.below(5)).to_string() };
            tickets
                .push_str(&format!("t{tid},c{i:03},Help,{category},{},{resolved},{csat}\n", stamp(created)));
            if rng.below(3) == 0 {
                // A burst: three more the same week.
                for k in 1..=3 {
                    tid += 1;
                    tickets.push_str(&format!("t{tid},c{i:03},More,bug,{},,\n", stamp(created + k * DAY)));
                }
            }
        }
    }
    let mut conn = crate::store::open_memory().unwrap();
    for (kind, text) in [
        (ImportKind::Customers, customers),
        (ImportKind::Usage, usage),
        (ImportKind::Nps, nps),
        (ImportKind::Billing, billing),
        (ImportKind::Tickets, tickets),
    ] {
        import::import_text(&mut conn, kind, &text, now).unwrap();
    }
    conn
}

#[test]
fn the_replay_gives_the_live_warning_sign_facts_at_every_cutoff() {
    let now = crate::time::parse_now("2026-11-20").unwrap();
    let conn = generated(now);
    let w = Window::new(Day::of(now), None, None, None, None).unwrap();
    let cutoffs = w.cutoffs();
    assert_eq!(cutoffs.len(), 12);
    let history = History::load_with_signs(&conn, None, cutoffs[0], cutoffs[11]).unwrap();
    let (mut compared, mut with_signs) = (0, 0);
    let mut seen = std::collections::BTreeSet::new();
    for &cutoff in &cutoffs {
        let live = crate::store::churn::risk_facts(&conn, cutoff).unwrap();
        let replayed: Vec<_> = history.customers.iter().filter(|c| c.active_at(cutoff)).collect();
        assert_eq!(live.len(), replayed.len(), "active customers at {}", iso_date(cutoff));
        for l in &live {
            let c = replayed.iter().find(|c| c.cid == l.cid).expect("the same customers");
            assert_eq!(
                risk_facts_at(c, &crate::domain::fold::Bounds::at(cutoff)),
                l.facts,
                "{} at {}",
                l.id,
                iso_date(cutoff)
            );
            compared += 1;
            let parts = ev::parts(&l.facts);
            with_signs += usize::from(!parts.is_empty());
            seen.extend(parts);
        }
    }
    assert!(compared > 400, "{compared} customer-cutoffs compared");
    assert!(with_signs > 40, "{with_signs} with a sign");
    assert_eq!(seen.len(), Part::ALL.len(), "every sign part appears: {seen:?}");
}

#[test]
fn a_measurement_counts_every_active_customer_and_stores_all_predictors() {
    let now = crate::time::parse_now("2026-11-20").unwrap();
    let mut conn = generated(now);
    let settings = Settings::from_stored(Vec::new());
    let w = default_window(now).unwrap();
    let ticks = std::cell::Cell::new(0);
    let m = measure(&conn, &settings, w, true, &|| ticks.set(ticks.get() + 1)).unwrap();
    assert_eq!(ticks.get(), 12);
    let e = m.evidence.as_ref().expect("churns in the window");
    let replay = crate::app::backtest::replay(&conn, &settings, w, &|| {}).unwrap();
    assert_eq!(e.total as usize, replay.samples.len(), "the backtest's samples");
    assert_eq!(e.total_churned as usize, replay.samples.iter().filter(|s| s.sample.churned).count());
    // The bands partition the samples; any-sign is the union of the parts.
    let band_total: u64 = Band::ALL.iter().map(|b| e.row(ev::Predictor::Band(*b)).unwrap().samples).sum();
    assert_eq!(band_total, e.total);
    let any = e.row(ev::Predictor::AnySign).unwrap().samples;
    let max_part = Part::ALL.iter().map(|p| e.row(ev::Predictor::Part(*p)).unwrap().samples).max().unwrap();
    let sum_parts: u64 = Part::ALL.iter().map(|p| e.row(ev::Predictor::Part(*p)).unwrap().samples).sum();
    assert!(max_part <= any && any <= sum_parts, "{max_part} ≤ {any} ≤ {sum_parts}");
    assert!(m.missed.iter().all(|x| x.score >= 80));
    // Stored and read back as measured.
    crate::store::write(&mut conn, |tx| save(tx, now, &m)).unwrap();
    let back = latest(&conn, now).unwrap().unwrap();
    assert_eq!(back.evidence, *e);
    assert_eq!(back.span, m.span());
    assert!(!due(&conn, now).unwrap());
    assert!(!due(&conn, now + 7 * DAY).unwrap());
    assert!(due(&conn, now + 8 * DAY).unwrap());
    // Evidence measured after `now` is not seen at an earlier `now`.
    assert!(latest(&conn, now - DAY).unwrap().is_none());
}

/// The health facts the backtest and backfill replay from the history equal
/// those live scoring reads with SQL, for every active customer at the 12
/// cutoffs of the default window.
#[test]
fn the_replay_gives_the_live_health_facts_at_every_cutoff() {
    let now = crate::time::parse_now("2026-11-20").unwrap();
    let conn = generated(now);
    let settings = Settings::from_stored(Vec::new());
    let w = Window::new(Day::of(now), None, None, None, None).unwrap();
    let cutoffs = w.cutoffs();
    assert_eq!(cutoffs.len(), 12);
    let history = History::load(&conn, cutoffs[0], cutoffs[11]).unwrap();
    let (mut compared, mut with_nps, mut with_csat, mut not_paid) = (0, 0, 0, 0);
    for &cutoff in &cutoffs {
        let feats = crate::store::health::Features::load(&conn, &settings, cutoff).unwrap();
        let live = crate::store::health::facts(&conn, &feats, cutoff, None, false).unwrap();
        let core = history.core_at(&settings, cutoff);
        for c in history.customers.iter().filter(|c| c.active_at(cutoff)) {
            let l = live.iter().find(|l| l.cid == c.cid).expect("every active customer is scored live");
            // The replay keeps what the score reads; tickets open and value
            // reached feed only signals and stage, which a replay never shows.
            let live_facts = crate::domain::health::Facts {
                tickets_30d: 0,
                unresolved: 0,
                oldest_unresolved: None,
                reached_value: false,
                ..l.facts.clone()
            };
            let replayed =
                crate::store::backtest::facts_at(c, &core, &crate::domain::fold::Bounds::at(cutoff));
            assert_eq!(replayed, live_facts, "cid {} at {}", c.cid, iso_date(cutoff));
            with_nps += usize::from(replayed.latest_nps.is_some());
            with_csat += usize::from(replayed.csat.1 > 0);
            not_paid +=
                usize::from(replayed.payment.is_some_and(|p| p != crate::domain::health::Payment::Paid));
            compared += 1;
        }
    }
    assert!(compared > 400, "{compared} customer-cutoffs compared");
    assert!(
        with_nps > 20 && with_csat > 5 && not_paid > 5,
        "{with_nps} NPS, {with_csat} CSAT, {not_paid} unpaid"
    );
}
