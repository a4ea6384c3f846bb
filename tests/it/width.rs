//! Tables fit the terminal (README, "Tables fit the terminal"): at 80 and 100 columns no line
//! is wider, and no id, date or amount of a command's JSON is split.

use crate::common::Work;

/// The example data plus customers with long names and emails, an at-risk
/// and a critical one, a churned one (win-back), a new one (onboarding) and
/// tickets with long subjects, scored as of NOW.
pub fn wide_book() -> Work {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    let customers = "id,name,email,plan,mrr,signed_up_at,churned_at\n\
        c00294,Internationalisation Consulting Partners of Greater Manchester Limited,procurement.department@internationalisation-partners.example,Enterprise Annual,149.00,2026-01-05,\n\
        c00019,Very Long Company Name With Many Words In It Incorporated,someone.with.a.long.address@very-long-company-name.example,Pro,12345.67,2026-02-01,\n\
        c00116,Gone Away Holdings International Group,ceo@gone-away.example,Pro,99.50,2026-01-01,2026-11-13T10:00:00Z\n\
        c00200,Brand New Customer Onboarding Example Company,hello@brand-new.example,Starter,19.00,2026-11-17T09:00:00Z,\n";
    let usage = "customer,timestamp,event\n\
        c00294,2026-10-01,reports\nc00294,2026-10-02,reports\nc00294,2026-10-03,reports\nc00294,2026-10-04,reports\n\
        c00294,2026-10-05,reports\nc00294,2026-11-10,reports\n\
        c00019,2026-11-15,reports\nc00200,2026-11-17T09:30:00Z,reports\n";
    let billing =
        "customer,date,amount,status\nc00019,2026-11-01,12345.67,failed\nc00294,2026-11-01,149.00,paid\n";
    let nps = "customer,responded_at,score,comment\nc00294,2026-11-02,4,The reporting module is far too slow for our quarterly board packs\n";
    let tickets = "id,customer,subject,channel,priority,category,created_at\n\
        T900,c00294,Quarterly export of the consolidated revenue report times out after ten minutes every single time,email,high,bug,2026-11-19T09:00:00Z\n\
        T901,c00019,Cannot update the credit card on file because the billing page shows an error,chat,urgent,billing,2026-11-20T08:00:00Z\n";
    for (kind, csv) in
        [("customers", customers), ("usage", usage), ("billing", billing), ("nps", nps), ("tickets", tickets)]
    {
        w.file(&format!("wide-{kind}.csv"), csv);
        w.run(&["-q", "import", kind, &format!("wide-{kind}.csv")]).ok();
    }
    w.run(&["-q", "health", "score"]).ok();
    w
}

/// The list commands whose tables are checked.
pub const LISTS: &[&[&str]] = &[
    &["customer", "list"],
    &["health", "list"],
    &["health", "alerts"],
    &["churn", "risks"],
    &["churn", "winback"],
    &["churn", "rate"],
    &["onboarding", "due"],
    &["ticket", "list"],
    &["today", "--all"],
    &["report", "metrics"],
    &["report", "trends"],
    &["report", "revenue", "--by", "plan"],
    &["report", "cohorts", "--months", "12"],
];

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && s.chars().filter(char::is_ascii_digit).count() == 8
}

/// Every id (`id`, `*_id`), date (`YYYY-MM-DD`) and amount (`mrr`) of `json`
/// that a table shows, as the table writes it; keys named on the `hidden:`
/// line are skipped (their column was dropped).
fn tokens(json: &serde_json::Value, hidden: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let items: Vec<&serde_json::Value> = match json {
        serde_json::Value::Array(a) => a.iter().collect(),
        j => vec![j],
    };
    for item in items {
        let Some(o) = item.as_object() else { continue };
        for (k, v) in o {
            let label = k.replace('_', " ").to_lowercase();
            if hidden.contains(&label) {
                continue;
            }
            match v {
                // `report trends` heads a column per period with its month.
                serde_json::Value::String(s) if k == "period_start" => {
                    let month = s[..7].to_string();
                    out.extend((!hidden.contains(&month)).then_some(month));
                }
                serde_json::Value::String(s) if k == "id" || k.ends_with("_id") || is_date(s) => {
                    out.push(s.clone())
                }
                serde_json::Value::Number(n) if k == "mrr" => {
                    // As tables show money: with thousands separators.
                    let cents = (n.as_f64().unwrap() * 100.0).round() as i64;
                    let whole = (cents / 100).to_string();
                    let mut grouped = String::new();
                    for (i, c) in whole.chars().enumerate() {
                        if i > 0 && (whole.len() - i) % 3 == 0 {
                            grouped.push(',');
                        }
                        grouped.push(c);
                    }
                    out.push(format!("${grouped}.{:02}", cents % 100));
                }
                _ => {}
            }
        }
    }
    out
}

/// Runs `args` at `COLUMNS=width`: no line wider, and every id, date and
/// amount of its `-f json` output appears whole in the table.
#[track_caller]
pub fn assert_fits(w: &Work, args: &[&str], width: usize) {
    let cols = width.to_string();
    let t = w.run_env(&[("COLUMNS", &cols)], args).ok().stdout;
    let what = format!("COLUMNS={width} csf {}", args.join(" "));
    for l in t.lines() {
        assert!(l.chars().count() <= width, "{what}: a line of {} columns:\n{l}\n{t}", l.chars().count());
    }
    // The last line(s), from `hidden: ` on, name the dropped columns.
    let hidden: Vec<String> = t
        .split_once("\nhidden: ")
        .map(|(_, l)| {
            l.replace('\n', " ").split(" — ").next().unwrap().split(", ").map(str::to_string).collect()
        })
        .unwrap_or_default();
    let mut json_args = args.to_vec();
    json_args.extend(["-f", "json"]);
    let j = w.run(&json_args).ok().json();
    let tokens = tokens(&j, &hidden);
    for tok in &tokens {
        assert!(t.contains(tok.as_str()), "{what}: {tok} is split or missing:\n{t}");
    }
}

#[test]
fn every_list_fits_80_and_100_columns_without_splitting_ids_dates_or_money() {
    let w = wide_book();
    for args in LISTS {
        for width in [80, 100] {
            assert_fits(&w, args, width);
        }
    }
}

#[test]
fn a_table_too_wide_drops_its_least_useful_columns_and_names_them() {
    let w = wide_book();
    let t = w.run_env(&[("COLUMNS", "80")], &["health", "list"]).ok().stdout;
    let (_, last) = t.split_once("\nhidden: ").unwrap_or_else(|| panic!("{t}"));
    let last = last.replace('\n', " ");
    assert!(last.contains("scored on"), "{t}");
    assert!(last.trim_end().ends_with(" — widen or use -f json"), "{t}");
    assert!(t.contains("at-risk") || t.contains("critical"), "{t}");
    // Free text wraps at word boundaries: the long name is on several lines, words whole.
    let t = w.run_env(&[("COLUMNS", "80")], &["customer", "list"]).ok().stdout;
    assert!(t.contains("Internationalisation"), "{t}");
    // Piped without COLUMNS: whole rows, nothing dropped.
    let t = w.run(&["health", "list"]).ok().stdout;
    assert!(!t.contains("hidden:"), "{t}");
    assert!(t.lines().any(|l| l.chars().count() > 100), "{t}");
}

/// The table's header line (its first `│` line) and its `hidden:` list.
fn head_and_hidden(t: &str) -> (String, Vec<String>) {
    let head = t.lines().find(|l| l.starts_with('│')).unwrap_or_else(|| panic!("no table:\n{t}")).to_string();
    let hidden = t
        .split_once("\nhidden: ")
        .map(|(_, l)| {
            l.replace('\n', " ").split(" — ").next().unwrap().split(", ").map(str::to_string).collect()
        })
        .unwrap_or_default();
    (head, hidden)
}

#[test]
fn today_keeps_mrr_and_risk_at_80_and_100_columns() {
    let w = wide_book();
    for cols in ["80", "100"] {
        let t = w.run_env(&[("COLUMNS", cols)], &["today"]).ok().stdout;
        let (head, hidden) = head_and_hidden(&t);
        for col in ["┆ MRR ", "┆ Risk "] {
            assert!(head.contains(col), "COLUMNS={cols}: no{col}:\n{t}");
        }
        assert!(!hidden.iter().any(|h| h == "mrr" || h == "risk"), "COLUMNS={cols}:\n{t}");
    }
}

#[test]
fn report_revenue_drops_all_zero_columns_first_and_keeps_mrr_end_nrr_grr() {
    let w = wide_book();
    // The money columns zero in every month, from the JSON.
    let j = w.run(&["report", "revenue", "-f", "json"]).ok().json();
    let months = j.as_array().unwrap();
    let zero: Vec<String> = ["new", "expansion", "contraction", "churned", "reactivation"]
        .into_iter()
        .filter(|k| months.iter().all(|m| m[*k].as_f64() == Some(0.0)))
        .map(str::to_string)
        .collect();
    assert!(!zero.is_empty(), "the book has no all-zero column: {j}");
    for cols in ["80", "100"] {
        let t = w.run_env(&[("COLUMNS", cols)], &["report", "revenue"]).ok().stdout;
        let (head, hidden) = head_and_hidden(&t);
        for col in ["┆ MRR end ", "┆ NRR ", "┆ GRR "] {
            assert!(head.contains(col), "COLUMNS={cols}: no{col}:\n{t}");
        }
        if cols == "80" {
            // Something had to go, and the all-zero columns went before any other.
            assert!(hidden.len() >= zero.len(), "COLUMNS=80:\n{t}");
            assert_eq!(hidden[..zero.len()], zero[..], "COLUMNS=80:\n{t}");
        }
    }
}

#[test]
fn report_revenue_by_plan_keeps_the_plan_at_80_and_100_columns() {
    let w = wide_book();
    for cols in ["80", "100"] {
        let t = w.run_env(&[("COLUMNS", cols)], &["report", "revenue", "--by", "plan"]).ok().stdout;
        let (head, hidden) = head_and_hidden(&t);
        assert!(head.contains("┆ Plan "), "COLUMNS={cols}:\n{t}");
        assert!(head.contains("┆ MRR end "), "COLUMNS={cols}:\n{t}");
        assert!(!hidden.contains(&"plan".to_string()), "COLUMNS={cols}:\n{t}");
    }
}

/// `wrapped` is `whole` broken between words: every line at most `width`,
/// more lines than before, and the same words in the same order.
#[track_caller]
fn assert_wrapped(whole: &str, wrapped: &str, width: usize) {
    for l in wrapped.lines() {
        assert!(l.chars().count() <= width, "a line of {} columns:\n{l}\n{wrapped}", l.chars().count());
    }
    assert!(wrapped.lines().count() > whole.lines().count(), "nothing wrapped:\n{wrapped}");
    let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(words(wrapped), words(whole), "a word was split:\n{wrapped}");
}

#[test]
fn sentences_wrap_between_words_at_80_and_100_columns() {
    let w = wide_book();
    // The backtest's verdict and next step, above its table.
    let prose = |t: &str| t.split_once("\n┌").map_or(t.to_string(), |(p, _)| p.to_string());
    let whole = prose(&w.run(&["health", "backtest"]).ok().stdout);
    assert!(whole.contains("`csf health tune`"), "{whole}");
    assert!(whole.lines().any(|l| l.chars().count() > 100), "{whole}");
    for width in [80, 100] {
        let t = w.run_env(&[("COLUMNS", &width.to_string())], &["health", "backtest"]).ok().stdout;
        assert_wrapped(&whole, &prose(&t), width);
    }
    // The hints of `today` on stderr.
    let whole = w.run(&["today"]).ok().stderr;
    let t = w.run_env(&[("COLUMNS", "80")], &["today"]).ok().stderr;
    assert_wrapped(&whole, &t, 80);
}
