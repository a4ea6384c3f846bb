//! Ids that differ only in case: the exact id wins; a case-insensitive
//! match is used only when it is unique, else the error lists every id.

use crate::common::Work;

#[test]
fn customer_ids_differing_in_case_exact_wins_else_unique_else_listed() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme", "--name", "Lower"]).ok();
    w.run(&["-q", "customer", "add", "ACME", "--name", "Upper"]).ok();
    w.run(&["-q", "customer", "add", "beta", "--name", "Only"]).ok();
    let name = |id: &str| w.run(&["customer", "show", id, "-f", "json"]).ok().json()["name"].clone();
    assert_eq!(name("acme"), "Lower");
    assert_eq!(name("ACME"), "Upper");
    assert_eq!(name("BETA"), "Only", "a unique case-insensitive match is used");
    for args in [
        &["customer", "show", "Acme"][..],
        &["customer", "edit", "Acme", "--name", "Changed"],
        &["customer", "remove", "Acme"],
        &["ticket", "open", "Acme", "Subject"],
    ] {
        w.refuses(
            args,
            &["customer id \"Acme\" matches 2 in different case: ACME, acme", "type the id exactly"],
        );
    }
    // A third id in another case can still be added.
    w.run(&["-q", "customer", "add", "Acme", "--name", "Mixed"]).ok();
    assert_eq!(name("Acme"), "Mixed");
}

#[test]
fn ticket_ids_differing_in_case_exact_wins_else_unique_else_listed() {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme"]).ok();
    w.file(
        "t.csv",
        "id,customer,subject,created_at\nzd-1,acme,lower,2026-11-01\nZD-1,acme,upper,2026-11-02\nzd-2,acme,only,2026-11-03\n",
    );
    w.run(&["-q", "import", "tickets", "t.csv"]).ok();
    let subject = |id: &str| w.run(&["ticket", "show", id, "-f", "json"]).ok().json()["subject"].clone();
    assert_eq!(subject("zd-1"), "lower");
    assert_eq!(subject("ZD-1"), "upper");
    assert_eq!(subject("ZD-2"), "only");
    for args in
        [&["ticket", "show", "Zd-1"][..], &["ticket", "close", "Zd-1"], &["ticket", "resolve", "zD-1"]]
    {
        w.refuses(args, &["matches 2 in different case: ZD-1, zd-1", "type the id exactly"]);
    }
}
