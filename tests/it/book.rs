//! `csf today` on a realistic book (docs/today.md): 300 customers with 18
//! months of history imported at once — most healthy, some fading, some
//! light users who stay, some churned after warning signs, a few new —
//! judged as a founder would.

use std::collections::{HashMap, HashSet};

use crate::common::Work;

const NOW: &str = "2026-11-20T12:00:00Z";
const NOW_DAY: i64 = 20_777; // 2026-11-20 as a day number
const DAY: i64 = 86_400;

/// splitmix64: the same book on every machine.
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
    fn chance(&mut self, percent: i64) -> bool {
        self.below(100) < percent
    }
}

fn date(day: i64) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(day as u64);
    d.format("%Y-%m-%d").to_string()
}

pub(crate) struct Person {
    id: String,
    signup: i64,
    churned: Option<i64>,
}

/// Writes the book's five files; returns who is who.
pub(crate) fn book(w: &Work) -> Vec<Person> {
    let mut rng = Rng(42);
    let mut people = Vec::new();
    let mut customers = String::from("id,name,email,plan,mrr,signed_up_at,churned_at\n");
    let mut events: Vec<(i64, String)> = Vec::new();
    let mut billing = String::from("customer,date,amount,status\n");
    let mut nps = String::from("customer,responded_at,score\n");
    let mut tickets = String::from("id,customer,subject,channel,created_at\n");
    let features = ["reports", "export", "alerts", "dashboards"];
    for i in 0..300 {
        let id = format!("c{i:04}");
        let kind = rng.below(100);
        let signup = if kind < 5 { NOW_DAY - rng.below(27) } else { NOW_DAY - 60 - rng.below(480) };
        // 10% churned (after a fade and often a failed payment), 15% fading, the rest steady.
        let churned = (5..15).contains(&kind).then(|| (NOW_DAY - 5 - rng.below(300)).max(signup + 40));
        let stops = match (kind, churned) {
            (_, Some(c)) => c - 10 - rng.below(20),
            (15..=29, None) => NOW_DAY - 20 - rng.below(40),
            _ => NOW_DAY,
        };
        let mrr = (!rng.chance(8)).then(|| [19, 49, 99, 199, 499][rng.below(5) as usize] * 100);
        customers.push_str(&format!(
            "{id},Company {i},{}@example.com,pro,{},{},{}\n",
            if rng.chance(50) { format!("jane.{i}") } else { format!("ops{i}") },
            mrr.map_or(String::new(), |m| format!("{}.00", m / 100)),
            date(signup),
            churned.map_or(String::new(), date)
        ));
        // 10% light users: one feature every week or two, for years, and they stay.
        let light = (30..40).contains(&kind);
        let every = if light {
            7 + rng.below(8)
        } else if kind < 50 {
            1 + rng.below(2)
        } else {
            2 + rng.below(4)
        };
        let mut d = signup;
        while d <= stops.min(NOW_DAY) {
            let f = if light { features[0] } else { features[rng.below(4) as usize] };
            events.push((d * DAY + 9 * 3600 + rng.below(8 * 3600), format!("{id},{f}")));
            if rng.chance(40) {
                events.push((
                    d * DAY + 14 * 3600 + rng.below(3600),
                    format!("{id},{}", features[rng.below(4) as usize]),
                ));
            }
            d += every;
        }
        let mut m = signup + 30;
        while m <= churned.unwrap_or(NOW_DAY).min(NOW_DAY) {
            let failed = churned.is_some_and(|c| c - m < 45) && rng.chance(50) || rng.chance(2);
            billing.push_str(&format!(
                "{id},{},{},{}\n",
                date(m),
                mrr.unwrap_or(0) / 100,
                if failed { "failed" } else { "paid" }
            ));
            m += 30;
        }
        if rng.chance(35) {
            let at = NOW_DAY - rng.below(200);
            if at >= signup {
                let score = if kind < 30 { rng.below(7) } else { 6 + rng.below(5) };
                nps.push_str(&format!("{id},{},{score}\n", date(at)));
            }
        }
        if rng.chance(6) && churned.is_none() {
            let at = (NOW_DAY - rng.below(40)) * DAY + 10 * 3600;
            tickets.push_str(&format!(
                "T{i},{id},Question {i},email,{}\n",
                chrono::DateTime::from_timestamp(at, 0).unwrap().to_rfc3339()
            ));
        }
        people.push(Person { id, signup, churned });
    }
    // An export arrives in time order, not by customer.
    events.sort();
    let mut usage = String::from("customer,timestamp,event\n");
    for (ts, rest) in &events {
        let (c, e) = rest.split_once(',').unwrap();
        usage.push_str(&format!(
            "{c},{},{e}\n",
            chrono::DateTime::from_timestamp(*ts, 0).unwrap().to_rfc3339()
        ));
    }
    for (kind, text) in
        [("customers", customers), ("usage", usage), ("billing", billing), ("nps", nps), ("tickets", tickets)]
    {
        w.file(&format!("{kind}.csv"), text);
        w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
    }
    w.run(&["-q", "config", "set", "health.core_features", "reports,export,alerts,dashboards"]).ok();
    people
}

fn day_of(date: &str) -> i64 {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    (d - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
}

#[test]
fn a_realistic_book_gets_one_judgement_per_customer_ranked_by_what_is_at_stake() {
    assert_eq!(day_of("2026-11-20"), NOW_DAY);
    let w = Work::new();
    let people = book(&w);
    let who: HashMap<&str, &Person> = people.iter().map(|p| (p.id.as_str(), p)).collect();
    let churned = |id: &str| who[id].churned.is_some_and(|c| c <= NOW_DAY);
    let all = w.run_at(NOW, &["today", "--all", "-f", "json"]).ok().json();
    let all = all.as_array().unwrap();
    assert!(all.len() > 20, "a real book has a morning's work: {}", all.len());

    // At most one action per customer, tickets aside.
    let mut seen = HashSet::new();
    for a in all.iter().filter(|a| a["kind"] != "ticket" && a["kind"] != "data") {
        assert!(seen.insert(a["customer_id"].as_str().unwrap()), "two actions for {}", a["customer_id"]);
    }
    // Every customer with a current warning sign who has not churned is rescued, never pitched.
    let risks = w.run_at(NOW, &["churn", "risks", "-f", "json"]).ok().json();
    let signed: HashSet<&str> =
        risks.as_array().unwrap().iter().map(|r| r["customer_id"].as_str().unwrap()).collect();
    assert!(signed.len() >= 10, "the book has warning signs: {}", signed.len());
    let kind_of: HashMap<&str, &str> = all
        .iter()
        .filter(|a| a["kind"] != "ticket" && a["kind"] != "data")
        .map(|a| (a["customer_id"].as_str().unwrap(), a["kind"].as_str().unwrap()))
        .collect();
    for id in signed.iter().filter(|id| !churned(id)) {
        assert_eq!(kind_of.get(id), Some(&"rescue"), "{id} has a warning sign");
    }
    for a in all {
        let id = a["customer_id"].as_str().unwrap_or_default();
        match a["kind"].as_str().unwrap() {
            "winback" => assert!(churned(id), "{id} is paying: no win-back"),
            "expand" => {
                assert!(NOW_DAY - who[id].signup >= 28, "{id}: no pitch before day 28");
                assert!(!signed.contains(id), "{id}: no pitch with a warning sign");
            }
            _ => {}
        }
        // No step outside its window: due at most 6 days ago, and not after the next step's day.
        let due = day_of(a["due_on"].as_str().unwrap());
        if let Some(step) = a["id"].as_str().unwrap().rsplit('-').next().and_then(|d| d.parse::<i64>().ok()) {
            if matches!(a["kind"].as_str().unwrap(), "winback" | "onboarding") {
                let steps: &[i64] =
                    if a["kind"] == "winback" { &[1, 7, 14, 30, 60] } else { &[0, 1, 3, 7, 14, 21] };
                let next = steps.iter().find(|d| **d > step).map_or(i64::MAX, |d| d - step);
                let late = NOW_DAY - due;
                assert!(late >= 0 && late < 7.min(next), "{}: {late} days late", a["id"]);
            }
        }
    }
    // The rank: kinds in order, then money at stake (no MRR last), then the rest.
    let order = ["data", "ticket", "rescue", "onboarding", "winback", "expand"];
    let pos = |a: &serde_json::Value| order.iter().position(|k| a["kind"] == *k).unwrap();
    for pair in all.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(pos(a) <= pos(b), "{} before {}", a["id"], b["id"]);
        if pos(a) == pos(b) && matches!(a["kind"].as_str().unwrap(), "rescue" | "winback" | "expand") {
            let m = |x: &serde_json::Value| x["mrr"].as_f64().map_or(f64::NEG_INFINITY, |v| v);
            assert!(m(a) >= m(b), "{} ({}) before {} ({})", a["id"], a["mrr"], b["id"], b["mrr"]);
        }
        if pos(a) == pos(b) && a["kind"] == "onboarding" {
            let s = |x: &serde_json::Value| who[x["customer_id"].as_str().unwrap()].signup;
            assert!(s(a) <= s(b), "oldest signup first");
        }
    }
    // The default shows today.limit (10) and names the rest.
    let shown = w.run_at(NOW, &["today", "-f", "json"]).ok().json();
    assert_eq!(shown.as_array().unwrap().len(), 10);
    assert_eq!(shown.as_array().unwrap()[..], all[..10]);
    let table = w.run_at(NOW, &["today"]).ok().stdout;
    assert!(table.contains(&format!("and {} more: csf today --all", all.len() - 10)), "{table}");
    let r = w.run_at(NOW, &["today", "--limit", "3", "--fail-on", "due"]).fails(3);
    assert!(r.stderr.contains(&format!("{} actions are due today", all.len())), "counts all: {}", r.stderr);
}
