//! At the prompt (issue 27): units on figures, empty results as sentences,
//! counts in agreement, help headings, the man page, forgiving ids and
//! `--date-format`.

use crate::common::Work;

fn example() -> Work {
    let w = Work::new();
    w.run(&["-q", "init", "--example"]).ok();
    w.run(&["-q", "health", "score"]).ok();
    w
}

#[test]
fn backtest_and_tune_rates_carry_their_percent_sign() {
    let w = example();
    let t = w.run(&["health", "backtest"]).ok().stdout;
    let critical = t.lines().find(|l| l.starts_with("│ critical")).unwrap_or_else(|| panic!("{t}"));
    let cells: Vec<&str> = critical.trim_matches('│').split('┆').map(str::trim).collect();
    assert!(cells[3].ends_with('%') && cells[4].ends_with('%'), "{critical}");
    assert!(t.contains(" cutoffs every 30 days, churn within 90 days"), "{t}");
    // JSON keeps the plain number.
    let j = w.run(&["health", "backtest", "-f", "json"]).ok().json();
    assert!(j["bands"][3]["churn_rate"].is_number(), "{j}");
    let t = w.run(&["health", "tune"]).ok().stdout;
    for measure in ["catch (check)", "missed (check)", "alert rate (check)"] {
        let line = t.lines().find(|l| l.contains(measure)).unwrap_or_else(|| panic!("{t}"));
        assert_eq!(line.matches('%').count(), 2, "{line}");
    }
}

#[test]
fn an_empty_result_is_a_sentence_not_a_bare_header() {
    let w = Work::new();
    w.run(&["-q", "init"]).ok();
    for (args, sentence) in [
        (&["ticket", "list", "--overdue"][..], "No overdue tickets.\n"),
        (&["ticket", "list"][..], "No tickets.\n"),
        (&["health", "alerts"][..], "No at-risk or critical customers.\n"),
        (&["health", "alerts", "--status", "critical"][..], "No critical customers.\n"),
        (&["churn", "risks"][..], "No warning signs as of now.\n"),
    ] {
        let r = w.run(args).ok();
        assert_eq!(r.stdout, "", "{args:?}");
        assert_eq!(r.stderr, sentence, "{args:?}");
        // Quiet (cron): nothing at all, so nothing is mailed.
        let mut quiet = vec!["-q"];
        quiet.extend(args);
        let r = w.run(&quiet).ok();
        assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""), "{args:?}");
        // Machines still get their empty forms.
        let mut json = args.to_vec();
        json.extend(["-f", "json"]);
        assert_eq!(w.run(&json).ok().stdout, "[]\n", "{args:?}");
    }
}

#[test]
fn counts_agree_in_number() {
    let w = Work::new();
    w.file("c.csv", "id,name\nacme,Acme\n");
    let r = w.run(&["import", "customers", "c.csv"]).ok();
    assert!(r.stderr.starts_with("customers: 1 row read, 1 inserted"), "{}", r.stderr);
    let r = w.run(&["health", "score"]).ok();
    assert!(r.stderr.starts_with("Scored 1 customer for 2026-11-20"), "{}", r.stderr);
    let r = w.run(&["report", "metrics", "--days", "1"]).ok();
    assert!(r.stdout.starts_with("Last 1 day: 2026-11-20 to 2026-11-20\n"), "{}", r.stdout);
}

/// Every command path of the clap tree, the root first.
fn command_paths() -> Vec<(Vec<String>, bool)> {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: Vec<String>, out: &mut Vec<(Vec<String>, bool)>) {
        out.push((path.clone(), c.get_after_help().is_some() || c.get_after_long_help().is_some()));
        for s in c.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(s.get_name().to_string());
            walk(s, p, out);
        }
    }
    let mut out = Vec::new();
    walk(&csf::cli::Cli::command(), Vec::new(), &mut out);
    out
}

#[test]
fn help_lists_the_commands_own_options_first_and_the_global_ones_under_their_heading() {
    let w = Work::new();
    let mut without_examples = Vec::new();
    for (path, has_examples) in command_paths() {
        if !has_examples {
            without_examples.push(path.join(" "));
        }
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let h = w.bare().args(&args).output().unwrap();
        let h = String::from_utf8(h.stdout).unwrap();
        let what = format!("csf {}", args.join(" "));
        let global = h
            .find("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{what}: no Global options heading:\n{h}"));
        let (own, globals) = h.split_at(global);
        for flag in ["--db <PATH>", "--now <TIME>", "--format <FMT>", "--color <WHEN>", "--quiet"] {
            assert!(globals.contains(flag), "{what}: {flag} not under Global options:\n{h}");
            assert!(!own.contains(flag), "{what}: {flag} among the command's own options:\n{h}");
        }
        assert!(
            own.contains("\nOptions:\n") && own.contains("-h, --help"),
            "{what}: own options first:\n{h}"
        );
    }
    assert!(without_examples.is_empty(), "commands without examples: {without_examples:?}");
}

#[test]
fn the_man_page_has_every_section_and_names_no_page_that_does_not_exist() {
    let w = Work::new();
    let m = w.run(&["man"]).ok().stdout;
    let sections: Vec<&str> = m.lines().filter_map(|l| l.strip_prefix(".SH ")).collect();
    for s in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "COMMANDS",
        "OPTIONS",
        "ENVIRONMENT",
        "FILES",
        "\"EXIT STATUS\"",
        "EXAMPLES",
    ] {
        let s = s.trim_matches('"');
        assert!(sections.iter().any(|x| x.trim_matches('"') == s), "no {s} in {sections:?}");
    }
    for var in ["CSF_DB", "CSF_NOW", "NO_COLOR", "CLICOLOR_FORCE", "COLUMNS"] {
        assert!(m.contains(&format!("\\fB{var}\\fR")), "ENVIRONMENT lacks {var}");
    }
    for code in ["0", "1", "2", "3"] {
        assert!(m.contains(&format!(".TP\n\\fB{code}\\fR\n")), "EXIT STATUS lacks {code}");
    }
    assert!(m.contains("csf.db") && m.contains("templates"), "FILES");
    assert!(m.contains("\\fBcsf health alerts\\fR"), "COMMANDS lists every command path");
    // One page only: no csf-today(1) and the like.
    assert!(!m.contains("csf\\-today") && !m.contains("csf-today"), "names a page that does not exist");
    assert_eq!(m.matches("(1)").count(), 0, "names another page");
}

#[test]
fn version_names_the_release_and_the_schema() {
    let w = Work::new();
    let r = w.bare().arg("--version").output().unwrap();
    let v = String::from_utf8(r.stdout).unwrap();
    let release = env!("CARGO_PKG_VERSION");
    assert_eq!(v, format!("csf {release} (schema {})\n", csf::store::SCHEMA_VERSION));
    // The CHANGELOG's newest heading is this release.
    let log = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/CHANGELOG.md")).unwrap();
    let newest = log.lines().find(|l| l.starts_with("## ")).unwrap();
    assert!(newest.starts_with(&format!("## {release}")), "{newest}");
}

/// Customers c00116 (Acme Analytics), c00117 (Acme Labs), c00200 (Globex
/// Corp, ops@globex.example) and ticket T1.
fn ids() -> Work {
    let w = Work::new();
    w.file(
        "c.csv",
        "id,name,email\nc00116,Acme Analytics,hi@acme.example\nc00117,Acme Labs,labs@acme-labs.example\n\
         c00200,Globex Corp,ops@globex.example\n",
    );
    w.file("t.csv", "id,customer,subject,created_at\nT1,c00116,Export is slow,2026-11-19T09:00:00Z\n");
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    w.run(&["-q", "import", "tickets", "t.csv"]).ok();
    w
}

#[test]
fn ticket_ids_match_in_any_case_and_an_unknown_one_suggests_the_nearest() {
    let w = ids();
    let r = w.run(&["ticket", "show", "t1"]).ok();
    assert!(r.stdout.starts_with("Ticket T1 — Export is slow\n"), "{}", r.stdout);
    assert_eq!(w.run(&["ticket", "show", "t1", "-f", "json"]).ok().json()["id"], "T1");
    let r = w.refuses(&["ticket", "show", "T11"], &[]);
    assert_eq!(r.stderr, "error: no ticket \"T11\"; did you mean T1?\n");
}

#[test]
fn customer_ids_match_in_any_case_and_an_unknown_one_suggests_the_nearest() {
    let w = ids();
    let j = w.run(&["customer", "show", "C00116", "-f", "json"]).ok().json();
    assert_eq!(j["customer_id"], "c00116", "{j}");
    let r = w.refuses(&["customer", "show", "c116"], &[]);
    assert_eq!(r.stderr, "error: no customer with id or email \"c116\"; did you mean c00116?\n");
    let r = w.refuses(&["health", "show", "c0020"], &[]);
    assert!(r.stderr.contains("did you mean c00200?"), "{}", r.stderr);
}

#[test]
fn customer_show_finds_a_unique_part_of_a_name_or_email_and_lists_the_candidates_otherwise() {
    let w = ids();
    let j = w.run(&["customer", "show", "globex", "-f", "json"]).ok().json();
    assert_eq!(j["customer_id"], "c00200", "{j}");
    let j = w.run(&["customer", "show", "acme-labs", "-f", "json"]).ok().json();
    assert_eq!(j["customer_id"], "c00117", "{j}");
    let r = w.refuses(&["customer", "show", "acme"], &[]);
    assert_eq!(
        r.stderr,
        "error: \"acme\" matches several customers: c00116 (Acme Analytics), c00117 (Acme Labs); use the id\n"
    );
}

#[test]
fn action_ids_match_in_any_case_and_an_unknown_one_suggests_the_nearest() {
    let w = example();
    let j = w.run(&["today", "--all", "-f", "json"]).ok().json();
    let id = j[0]["id"].as_str().unwrap().to_string();
    w.run(&["draft", &id.to_uppercase()]).ok();
    let typo = format!("{id}x");
    let r = w.refuses(&["draft", &typo], &[]);
    assert!(r.stderr.contains(&format!("(did you mean {id}")), "{}", r.stderr);
}

#[test]
fn date_format_reads_a_spreadsheet_export_and_names_what_does_not_match() {
    let w = ids();
    w.file(
        "b.csv",
        "customer,date,amount,status\nc00116,11/05/2026,49,paid\nc00117,2026-11-06,19,paid\nc00200,11/07/2026 14:30,99,paid\n",
    );
    // Without the format: refused as ambiguous, with a way to say how to read it.
    let before = w.dump();
    let r = w.run(&["import", "billing", "b.csv"]).fails(1);
    assert!(
        r.stderr.contains("b.csv:2: column \"date\": \"11/05/2026\" is an ambiguous date; use an ISO date such as 2026-11-05 (YYYY-MM-DD), or say how to read it: --date-format %m/%d/%Y"),
        "{}",
        r.stderr
    );
    // With it: month first, ISO still read, a format without a time is midnight UTC.
    let r = w.run(&["import", "billing", "b.csv", "--date-format", "%m/%d/%Y"]).fails(1);
    assert_eq!(w.dump(), before, "nothing imported");
    assert!(
        r.stderr.starts_with(
            "b.csv:4: column \"date\": \"11/07/2026 14:30\" does not match --date-format \"%m/%d/%Y\"\n"
        ),
        "{}",
        r.stderr
    );
    w.run(&["-q", "import", "billing", "b.csv", "--date-format", "%m/%d/%Y %H:%M", "--skip-invalid"]).ok();
    w.file("b2.csv", "customer,date,amount,status\nc00116,11/05/2026,49,paid\nc00117,2026-11-06,19,paid\n");
    w.run(&["-q", "import", "billing", "b2.csv", "--date-format", "%m/%d/%Y"]).ok();
    let conn = w.conn();
    let got: Vec<(String, i64)> = conn
        .prepare("SELECT c.id, b.date FROM billing_records b JOIN customers c USING (cid) ORDER BY c.id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        got,
        vec![
            ("c00116".to_string(), 1_793_836_800), // 2026-11-05T00:00:00Z
            ("c00117".to_string(), 1_793_923_200), // 2026-11-06T00:00:00Z
            ("c00200".to_string(), 1_794_061_800), // 2026-11-07T14:30:00Z
        ]
    );
    // A format that is not strftime is refused before any row is read.
    let r = w.refuses(&["import", "billing", "b2.csv", "--date-format", "%Q/%d"], &[]);
    assert!(r.stderr.contains("--date-format \"%Q/%d\" is not a strftime format"), "{}", r.stderr);
}

/// docs/ and the README stand alone: they never cite the specification's
/// sections, and neither do the sources' comments (released migrations,
/// which are never edited, aside).
#[test]
fn docs_readme_and_sources_cite_no_spec_sections() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    walk(&root.join("docs"), &mut files);
    walk(&root.join("src"), &mut files);
    let mut found = Vec::new();
    for f in files.iter().filter(|f| !f.to_string_lossy().contains("/migrations/")) {
        let Ok(text) = std::fs::read_to_string(f) else { continue };
        for (i, l) in text.lines().enumerate() {
            if l.contains("SPEC §") || l.contains("SPEC.md") {
                found.push(format!("{}:{}: {l}", f.strip_prefix(root).unwrap().display(), i + 1));
            }
        }
    }
    assert!(found.is_empty(), "cite the docs page instead:\n{}", found.join("\n"));
}
