//! Drafts are real emails (docs/today.md): parsed by a mail parser with their
//! headers and utf-8 body; a draft per reason; hostile names and emails
//! refused where they enter and never in a header or a mailto: URL. Templates
//! are bounded, and one that cannot be read never stops the morning.

use mail_parser::MessageParser;

use crate::common::Work;

/// One customer with a failed payment, greeted by a title-prefixed contact.
fn book(w: &Work) {
    w.file(
        "c.csv",
        "id,name,email,contact_name,mrr,signed_up_at\nzoe,Zoë & Co,zoe.muller@zoe.example,Dr. Zoë Müller,99,2026-01-01\n",
    );
    w.file("b.csv", "customer,date,amount,status\nzoe,2026-11-14,99,failed\n");
    w.file("u.csv", "customer,timestamp,event\nzoe,2026-11-19T10:00:00Z,reports\n");
    for (k, f) in [("customers", "c.csv"), ("billing", "b.csv"), ("usage", "u.csv")] {
        w.run(&["-q", "import", k, f]).ok();
    }
    for (k, v) in [
        ("founder.name", "Sam Ölund"),
        ("founder.email", "sam@metricly.example"),
        ("product.name", "Metricly"),
        ("billing.update_url", "https://metricly.example/billing"),
    ] {
        w.run(&["-q", "config", "set", k, v]).ok();
    }
}

#[test]
fn a_draft_is_an_email_a_mail_parser_reads_with_its_headers_and_utf8_body() {
    let w = Work::new();
    book(&w);
    let out = w.run(&["draft", "rescue-zoe"]).ok().stdout;
    let m = MessageParser::default().parse(out.as_bytes()).expect("a parsable message");
    let from = m.from().and_then(|a| a.first()).expect("a From:");
    assert_eq!(from.address(), Some("sam@metricly.example"));
    assert_eq!(from.name(), Some("Sam Ölund"));
    let to: Vec<_> = m.to().unwrap().iter().collect();
    assert_eq!(to.len(), 1, "exactly one recipient");
    assert_eq!(to[0].address(), Some("zoe.muller@zoe.example"));
    // A failed payment gets the card-update draft, greeting the contact without the title.
    assert_eq!(m.subject(), Some("Your Metricly payment didn't go through"));
    let body = m.body_text(0).unwrap();
    assert!(body.starts_with("Hi Zoë,\n"), "{body}");
    assert!(body.contains("didn't go through — it happens"), "the em dash arrives intact: {body}");
    assert!(body.contains("https://metricly.example/billing"), "{body}");
    assert!(out.contains("MIME-Version: 1.0\n"));
    assert!(out.contains("Content-Type: text/plain; charset=utf-8\n"));
    assert!(out.contains("Content-Transfer-Encoding: 8bit\n"));
    // The JSON draft carries the same four parts.
    let j = w.run(&["today", "-f", "json"]).ok().json();
    let d = &j.as_array().unwrap().iter().find(|a| a["id"] == "rescue-zoe").unwrap()["draft"];
    assert_eq!(d["from"], "Sam Ölund <sam@metricly.example>");
    assert_eq!(d["to"], "zoe.muller@zoe.example");
}

#[test]
fn without_a_founder_email_the_draft_has_no_from_and_a_hint_says_how() {
    let w = Work::new();
    book(&w);
    w.run(&["-q", "config", "unset", "founder.email"]).ok();
    let r = w.run(&["today"]).ok();
    assert!(r.stderr.contains("founder.email"), "{}", r.stderr);
    let out = w.run(&["draft", "rescue-zoe"]).ok().stdout;
    assert!(out.starts_with("To: zoe.muller@zoe.example\n"), "{out}");
}

#[test]
fn a_draft_follows_the_strongest_reason() {
    let w = Work::new();
    book(&w);
    // A detractor without a failed payment: the feedback draft.
    w.file("b2.csv", "customer,date,amount,status\nzoe,2026-11-18,99,paid\n");
    w.run(&["-q", "import", "billing", "b2.csv"]).ok();
    w.file("n.csv", "customer,responded_at,score\nzoe,2026-11-15,2\n");
    w.run(&["-q", "import", "nps", "n.csv"]).ok();
    let out = w.run(&["draft", "rescue-zoe"]).ok().stdout;
    assert!(out.contains("isn't working well for you"), "{out}");
    let list = w.run(&["template", "list", "-f", "json"]).ok().json();
    let names: Vec<&str> = list.as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    for t in ["rescue-payment", "rescue-feedback", "rescue-usage", "rescue-tickets", "rescue"] {
        assert!(names.contains(&t), "{t} in {names:?}");
    }
}

/// Hostile names and emails are refused where they enter, naming where, and
/// nothing is stored; what an older file holds never reaches a header.
#[test]
fn hostile_names_and_emails_are_refused_and_never_reach_a_header() {
    let w = Work::new();
    book(&w);
    let before = w.dump();
    for (csv, words) in [
        ("id,email\nx,\"victim@acme.com, attacker@evil.com\"\n", "one address per customer"),
        ("id,name\nx,\"Evil\r\nBcc: a@evil.com\"\n", "contains a carriage return"),
        ("id,name\nx,Evil\u{2028}Bcc\n", "Unicode line separator"),
        ("id,contact_name\nx,Jane\u{0}Doe\n", "NUL"),
        ("id,email\nx,Jane <jane@acme.com>\n", "not one email address"),
    ] {
        w.file("h.csv", csv);
        let r = w.run(&["import", "customers", "h.csv"]).fails(1);
        assert!(r.stderr.contains("h.csv") && r.stderr.contains(words), "{csv:?}: {}", r.stderr);
    }
    for args in [
        vec!["customer", "edit", "zoe", "--email", "a@x.io, b@y.io"],
        vec!["customer", "edit", "zoe", "--name", "Zoë\nBcc: x@evil.com"],
        vec!["customer", "add", "y", "--salutation", "Hi\r\nBcc: x"],
        vec!["config", "set", "founder.name", "Sam\nBcc: x@evil.com"],
        vec!["config", "set", "founder.email", "sam@a.io, x@evil.com"],
        vec!["ticket", "open", "zoe", "Help\nBcc: x@evil.com"],
    ] {
        let r = w.run(&args).fails(1);
        assert!(r.stderr.starts_with("error: "), "{args:?}: {}", r.stderr);
    }
    assert_eq!(w.dump(), before, "nothing stored");
    // A name with a line break written by an older csf: flattened in the text and the mailto: URL.
    w.conn().execute("UPDATE customers SET name = 'Zoë\r\nBcc: x@evil.com' WHERE id = 'zoe'", []).unwrap();
    w.run(&["-q", "config", "set", "billing.update_url", "https://metricly.example/billing"]).ok();
    w.file("n.csv", "customer,responded_at,score\n");
    let text = w.run(&["draft", "rescue-zoe"]).ok().stdout;
    let headers = text.split("\n\n").next().unwrap();
    assert!(!headers.lines().any(|l| l.starts_with("Bcc:")), "{headers}");
    let url = w.run(&["draft", "rescue-zoe", "--mailto"]).ok().stdout;
    let (addr, query) = url.trim_end().strip_prefix("mailto:").unwrap().split_once('?').unwrap();
    assert_eq!(addr, "zoe.muller@zoe.example");
    let subject = query.split("&body=").next().unwrap();
    assert!(!subject.contains("%0D") && !subject.contains("%0A"), "{subject}");
}

/// Templates are bounded like imports: over 64 KiB or not a regular file is
/// refused without blocking; a template file that cannot be read never stops
/// the morning (the shipped text is used, with a warning).
#[test]
fn templates_are_bounded_and_never_stop_the_morning() {
    let w = crate::today::morning();
    let before = w.dump();
    w.file("big.txt", format!("Hi {{name}},\n{}\n", "x".repeat(70 * 1024)));
    w.refuses(
        &["template", "set", "rescue", "big.txt"],
        &["big.txt is over 64 KiB; a template is a message — shorten it"],
    );
    let fifo = w.path("fifo.txt");
    crate::common::mkfifo(&fifo);
    w.refuses(
        &["template", "set", "rescue", "fifo.txt"],
        &["fifo.txt is not a regular file; a template is a text file of at most 64 KiB"],
    );
    let r = w.shell(r#"head -c 70000 /dev/zero | tr '\0' x | "$@" template set rescue -"#, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("the template on stdin is over 64 KiB"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
    // A FIFO where a template file would be: the morning goes on with the default.
    let dir = w.path("config/csf/templates");
    std::fs::create_dir_all(&dir).unwrap();
    // (A rescue's draft follows its reason: every rescue template is a FIFO.)
    for t in ["rescue", "rescue-payment", "rescue-feedback", "rescue-usage", "rescue-tickets"] {
        crate::common::mkfifo(&dir.join(format!("{t}.txt")));
    }
    let r = w.run(&["today", "-f", "json"]).ok();
    assert!(r.stderr.contains(".txt is not a regular file"), "{}", r.stderr);
    assert!(r.stderr.contains("the shipped rescue"), "{}", r.stderr);
    let j = r.json();
    let rescue = j.as_array().unwrap().iter().find(|a| a["kind"] == "rescue").unwrap().clone();
    assert!(rescue["draft"]["body"].as_str().unwrap().starts_with("Hi "), "{rescue}");
}
