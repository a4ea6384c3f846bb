//! Honest import counts: a row identical to what is stored counts
//! `unchanged` for every kind, and a row that differs counts `changed`.

use crate::common::{Work, NOW};

#[test]
fn reimporting_the_same_five_files_changes_nothing_in_any_kind() {
    let w = Work::new();
    let now = csf::time::parse_now(NOW).unwrap();
    let files = csf::example::files(now);
    assert_eq!(files.len(), 5);
    for (kind, text) in &files {
        w.file(&format!("{kind}.csv"), text);
        w.run(&["import", kind, &format!("{kind}.csv")]).ok();
    }
    // Every table but the log of imports.
    let data =
        || w.dump().split("\n## ").filter(|t| !t.starts_with("import_log")).collect::<Vec<_>>().join("\n## ");
    let before = data();
    for (kind, _) in &files {
        let r = w.run(&["import", kind, &format!("{kind}.csv")]).ok();
        assert!(r.stderr.contains(" 0 inserted, 0 changed, "), "{kind}: {}", r.stderr);
        assert!(!r.stderr.contains(" 0 unchanged"), "{kind}: {}", r.stderr);
    }
    assert!(data() == before, "nothing was written");
    // One row that differs in each kind is the one change.
    let edited = |kind: &str, f: &dyn Fn(&str) -> String| {
        let text = &files.iter().find(|(k, _)| *k == kind).unwrap().1;
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        lines[1] = f(&lines[1]);
        w.file(&format!("{kind}-1.csv"), lines[..2].join("\n") + "\n");
        w.run(&["import", kind, &format!("{kind}-1.csv")]).ok().stderr
    };
    let last_field = |line: &str, v: &str| match line.rsplit_once(',') {
        Some((head, _)) => format!("{head},{v}"),
        None => line.to_string(),
    };
    for kind in ["usage", "nps", "billing", "tickets"] {
        let header = files.iter().find(|(k, _)| *k == kind).unwrap().1.lines().next().unwrap().to_string();
        let stderr = edited(kind, &|l| match kind {
            "usage" => last_field(l, "987"),
            "nps" => last_field(l, "changed comment"),
            "billing" => {
                l.replace(",paid,", ",failed,").replace(",late,", ",paid,").replace(",failed,", ",late,")
            }
            _ => last_field(l, if l.ends_with(",5") { "4" } else { "5" }),
        });
        assert!(
            stderr.contains("1 rows read, 0 inserted, 1 changed, 0 unchanged")
                || stderr.contains("1 row read, 0 inserted, 1 changed, 0 unchanged"),
            "{kind} ({header}): {stderr}"
        );
    }
}
