//! `health tune` when no weight vector is eligible, and the backtest's verdict and CSV.

use crate::backtest::{args, payment_history};
use crate::common::Work;

fn import(w: &Work, kind: &str, csv: &str) {
    w.file(&format!("{kind}.csv"), csv);
    w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
}

/// One cutoff (2026-06-01), two leavers and a stayer, all promoters:
/// l1 used the product once (usage 25, engagement 100) and pays; l2 is busy
/// but its last invoice failed; s is busy and pays. The current weights
/// 55,0,0,45 score l1 59 and l2 55: both caught, none healthy. At step 100
/// usage alone scores l2 100, engagement or satisfaction alone both 100,
/// payment alone l1 100: every vector scores a leaver healthy — none is eligible.
/// The history of [`tune_with_no_eligible_vector_says_so_and_changes_nothing`]: at
/// step 100 from 55,0,0,45 no vector is eligible, so `--apply` never applies.
fn no_eligible_vector() -> Work {
    let w = Work::new();
    import(
        &w,
        "customers",
        "id,signed_up_at,churned_at\nl1,2025-01-01,2026-06-20\nl2,2025-01-01,2026-06-20\ns,2025-01-01,\n",
    );
    let mut usage = String::from("customer,timestamp,event\nl1,2026-05-06T10:00:00Z,reports\n");
    for id in ["l2", "s"] {
        for day in (5..=31).step_by(3) {
            usage.push_str(&format!("{id},2026-05-{day:02}T10:00:00Z,reports\n"));
        }
    }
    import(&w, "usage", &usage);
    import(&w, "nps", "customer,responded_at,score\nl1,2026-05-01,10\nl2,2026-05-01,10\ns,2026-05-01,10\n");
    import(
        &w,
        "billing",
        "customer,date,amount,status,invoice_id\nl1,2026-05-15,49,paid,a\nl2,2026-05-20,49,failed,b\ns,2026-05-15,49,paid,c\n",
    );
    w.run(&["-q", "config", "set", "health.weights", "55,0,0,45"]).ok();
    w
}

const WINDOW: [&str; 8] = ["--from", "2026-06-01", "--to", "2026-06-01", "--horizon", "30", "--step", "100"];

#[test]
fn tune_with_no_eligible_vector_says_so_and_changes_nothing() {
    let w = no_eligible_vector();
    let window = WINDOW;
    let j = w.run(&[&["-f", "json", "health", "tune"][..], &window].concat()).ok().json();
    assert_eq!(j["current"]["catch_fit"], 100.0, "{j}");
    assert_eq!(j["current"]["missed_fit"], 0.0, "{j}");
    assert_eq!(j["best"], serde_json::Value::Null, "{j}");
    assert_eq!(j["applied"], false);
    let reason = j["reason"].as_str().unwrap();
    assert!(reason.starts_with("no weight vector at step 100 is eligible"), "{reason}");
    let before = w.dump();
    let r = w.run(&[&["health", "tune"][..], &window, &["--apply"]].concat()).ok();
    assert!(
        r.stdout.contains("Keep the current weights: no weight vector at step 100 is eligible"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("Not applied: no weight vector"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
}

#[test]
fn backtest_says_its_verdict_first_with_the_missed_share_in_words() {
    let w = payment_history();
    let j = w.run(&args(&["-f", "json", "health", "backtest"], &[])).ok().json();
    // catch, missed and alert rate agree with the band table.
    let bands = j["bands"].as_array().unwrap();
    let churned = j["churned"].as_f64().unwrap();
    let samples = j["samples"].as_f64().unwrap();
    let n = |i: usize, k: &str| bands[i][k].as_f64().unwrap();
    assert_eq!(j["catch"].as_f64().unwrap(), 100.0 * (n(2, "churned") + n(3, "churned")) / churned);
    assert_eq!(j["missed"].as_f64().unwrap(), 100.0 * n(0, "churned") / churned);
    assert_eq!(j["alert_rate"].as_f64().unwrap(), 100.0 * (n(2, "samples") + n(3, "samples")) / samples);
    let auc = j["auc"].as_f64().unwrap();
    let verdict = if auc < 0.6 {
        "weak"
    } else if auc < 0.7 {
        "fair"
    } else if auc < 0.8 {
        "useful"
    } else {
        "good"
    };
    assert_eq!(j["verdict"], verdict);

    let t = w.run(&args(&["health", "backtest"], &[])).ok().stdout;
    let first = t.lines().next().unwrap();
    let tenths = (j["missed"].as_f64().unwrap() / 10.0).round();
    assert!(first.starts_with(&format!("Verdict: {verdict} (AUC {auc:.2}) — ")), "{t}");
    if j["missed"].as_f64().unwrap() > 0.0 && tenths > 0.0 {
        assert!(first.contains(&format!("{tenths} in 10 leavers looked healthy")), "{t}");
    }
    assert!(t.lines().nth(1).unwrap().starts_with("Next: "), "{t}");
    // Every rate carries %; a band under 30 samples says so.
    for b in bands {
        let name = b["status"].as_str().unwrap();
        let line = t.lines().find(|l| l.starts_with(&format!("│ {name} "))).unwrap();
        assert_eq!(line.contains("(few samples)"), b["samples"].as_u64().unwrap() < 30, "{line}");
        assert!(line.matches('%').count() >= 1 || b["churn_rate"].is_null(), "{line}");
    }
    for k in ["Catch ", "Missed ", "Alert rate "] {
        let line = t.lines().find(|l| l.starts_with(k)).unwrap();
        assert!(line.contains('%'), "{line}");
    }
    let md = w.run(&args(&["-f", "markdown", "health", "backtest"], &[])).ok().stdout;
    assert_eq!(md.lines().next(), Some(first));
}

/// `-f csv`: one row per band, the summary fields repeated, equal to the JSON.
#[test]
fn backtest_csv_carries_the_json_fields() {
    let w = payment_history();
    let j = w.run(&args(&["-f", "json", "health", "backtest"], &[])).ok().json();
    let csv = w.run(&args(&["-f", "csv", "health", "backtest"], &[])).ok().stdout;
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        head,
        [
            "from",
            "to",
            "every_days",
            "horizon_days",
            "weights",
            "cutoffs",
            "samples",
            "churned",
            "auc",
            "verdict",
            "lift",
            "catch",
            "missed",
            "alert_rate",
            "status",
            "band_samples",
            "band_churned",
            "churn_rate",
            "share_of_churn"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    for (row, band) in rows.iter().zip(j["bands"].as_array().unwrap()) {
        let get = |k: &str| row[head.iter().position(|h| h == k).unwrap()].to_string();
        assert_eq!(get("weights"), "40,30,20,10");
        assert_eq!(get("cutoffs").split(' ').count(), j["cutoffs"].as_array().unwrap().len());
        for k in ["samples", "churned", "auc", "lift", "catch", "missed", "alert_rate"] {
            assert_eq!(get(k).parse::<f64>().unwrap(), j[k].as_f64().unwrap(), "{k}");
        }
        assert_eq!(get("verdict"), j["verdict"].as_str().unwrap());
        assert_eq!(get("status"), band["status"].as_str().unwrap());
        assert_eq!(get("band_samples").parse::<u64>().unwrap(), band["samples"].as_u64().unwrap());
    }
}

/// A tune that did not apply names the weights in force when it ends (issue
/// 38 N21): a `config set` committed while it ran (here while it waits for
/// the write lock the test holds), or a stored value that is not weights.
#[test]
fn a_tune_that_did_not_apply_names_the_weights_in_force() {
    use std::process::Stdio;
    let w = no_eligible_vector();
    let tune_apply = [&["health", "tune"][..], &WINDOW, &["--apply"]].concat();
    let r = w.run(&tune_apply).ok();
    assert!(
        r.stderr.contains(
            "; health.weights stays 55,0,0,45 (usage 55, engagement 0, satisfaction 0, payment 45)\n"
        ),
        "{}",
        r.stderr
    );
    let c = w.conn();
    c.execute_batch("BEGIN IMMEDIATE; UPDATE config SET value = '30,30,20,20' WHERE key = 'health.weights';")
        .unwrap();
    let mut tune = w
        .std_cmd()
        .args(&tune_apply)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    crate::concurrent_writes::wait_until_sleeping(&mut tune);
    c.execute_batch("COMMIT").unwrap();
    let before = w.dump();
    let o = tune.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("Not applied: no weight vector at step 100 is eligible")
            && err.contains(
                "; health.weights was changed to 30,30,20,20 while tune ran (tune started from 55,0,0,45): \
             30,30,20,20 (usage 30, engagement 30, satisfaction 20, payment 20) is in force\n"
            ),
        "{err}"
    );
    assert_eq!(w.dump(), before);
    // A value another program stored that is not weights: the default is in force.
    c.execute("UPDATE config SET value = '55,0,0' WHERE key = 'health.weights'", []).unwrap();
    let before = w.dump();
    let r = w.run(&tune_apply).ok();
    assert!(
        r.stderr.contains(
            "health.weights is \"55,0,0\", not four weights summing to 100, so the default 40,30,20,10 (usage \
             40, engagement 30, satisfaction 20, payment 10) is in force — set it with `csf config set \
             health.weights 40,30,20,10`"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(w.dump(), before);
}
