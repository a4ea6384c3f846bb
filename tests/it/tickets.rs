//! `csf ticket` (docs/tickets.md): the lifecycle with fixed times, templates,
//! targets and the error paths.

use crate::common::Work;

fn setup() -> Work {
    let w = Work::new();
    w.run(&[
        "-q",
        "customer",
        "add",
        "acme",
        "--name",
        "Acme Inc",
        "--contact",
        "Jane Doe",
        "--signed-up",
        "2026-01-01",
    ])
    .ok();
    w
}

fn open(w: &Work, at: &str, channel: &str) -> String {
    let r = w
        .run_at(at, &["ticket", "open", "acme", "Export fails", "--channel", channel, "--category", "bug"])
        .ok();
    r.stdout.trim().to_string()
}

#[test]
fn open_prints_only_the_new_id() {
    let w = setup();
    let r = w.run(&["ticket", "open", "acme", "Export fails"]).ok();
    assert_eq!(r.stdout, "1\n");
    let r = w.run(&["-q", "ticket", "open", "acme", "Second"]).ok();
    assert_eq!(r.stdout, "2\n");
    // imported ids are kept; new ones take the next free number
    w.file("t.csv", "id,customer,created_at\nZD-9,acme,2026-11-01\n41,acme,2026-11-02\n");
    w.run(&["-q", "import", "tickets", "t.csv"]).ok();
    assert_eq!(w.run(&["ticket", "open", "acme", "Third"]).ok().stdout, "42\n");
}

#[test]
fn full_lifecycle_with_first_response_and_resolution_times() {
    let w = setup();
    let id = open(&w, "2026-11-20T09:00:00Z", "email");
    let r = w.run_at("2026-11-20T11:30:00Z", &["ticket", "reply", &id, "--message", "Looking into it"]).ok();
    assert_eq!(r.stdout, "Looking into it\n");
    // a second reply does not move the first response
    w.run_at("2026-11-20T12:00:00Z", &["ticket", "reply", &id, "--message", "Found it"]).ok();
    w.run_at("2026-11-20T12:10:00Z", &["ticket", "note", &id, "Null pointer in the CSV writer"]).ok();
    w.run_at("2026-11-20T15:00:00Z", &["ticket", "resolve", &id, "--note", "Fixed in 2.3.1"]).ok();
    w.run_at("2026-11-21T09:00:00Z", &["ticket", "close", &id, "--csat", "4"]).ok();
    let j = w.run_at("2026-11-21T10:00:00Z", &["ticket", "show", &id, "-f", "json"]).ok().json();
    assert_eq!(j["status"], "closed");
    assert_eq!(j["first_response_at"], "2026-11-20T11:30:00Z");
    assert_eq!(j["first_response_hours"], 2.5);
    assert_eq!(j["resolved_at"], "2026-11-20T15:00:00Z");
    assert_eq!(j["resolution_hours"], 6.0);
    assert_eq!(j["csat"], 4);
    let kinds: Vec<&str> =
        j["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["opened", "replied", "replied", "note", "resolved", "closed", "rated"]);
    assert_eq!(w.count("SELECT csat_at FROM tickets"), 1_795_251_600); // 2026-11-21T09:00:00Z
                                                                       // as of a time in between, the ticket is seen as it was
    let j = w.run_at("2026-11-20T13:00:00Z", &["ticket", "show", &id, "-f", "json"]).ok().json();
    assert_eq!(j["status"], "acknowledged");
    assert!(j["resolved_at"].is_null());
}

#[test]
fn resolve_before_any_reply_sets_no_first_response() {
    let w = setup();
    let id = open(&w, "2026-11-20T09:00:00Z", "chat");
    w.run_at("2026-11-20T09:20:00Z", &["ticket", "resolve", &id]).ok();
    let j = w.run_at("2026-11-20T10:00:00Z", &["ticket", "show", &id, "-f", "json"]).ok().json();
    assert_eq!(j["status"], "resolved");
    assert!(j["first_response_at"].is_null());
    assert_eq!(j["resolution_hours"], 20.0 / 60.0);
    let r = w.run_at("2026-11-20T10:00:00Z", &["ticket", "resolve", &id]).fails(1);
    assert_eq!(r.stderr, format!("error: ticket {id} is already resolved\n"));
}

#[test]
fn closing_an_unknown_ticket_is_a_clear_error_and_changes_nothing() {
    let w = setup();
    open(&w, "2026-11-20T09:00:00Z", "email");
    let before = w.dump();
    let r = w.run(&["ticket", "close", "999"]).fails(1);
    assert_eq!(r.stderr, "error: no ticket \"999\"; `csf ticket list` shows the tickets\n");
    assert_eq!(w.dump(), before);
}

#[test]
fn csat_outside_1_to_5_is_refused() {
    let w = setup();
    let id = open(&w, "2026-11-20T09:00:00Z", "email");
    let before = w.dump();
    for bad in ["0", "6", "4.5", "great"] {
        let r = w.run(&["ticket", "rate", &id, bad]).fails(1);
        assert_eq!(
            r.stderr,
            format!("error: CSAT \"{bad}\" is not an integer from 1 to 5; nothing was recorded\n")
        );
        w.run(&["ticket", "close", &id, "--csat", bad]).fails(1);
    }
    assert_eq!(w.dump(), before);
    w.run(&["ticket", "rate", &id, "5"]).ok();
    assert_eq!(w.count("SELECT csat FROM tickets"), 5);
}

#[test]
fn each_template_renders_with_the_framework_wording() {
    let w = setup();
    let id = open(&w, "2026-11-20T09:00:00Z", "email");
    let r = w.run(&["ticket", "reply", &id, "--template", "ack", "--set", "timeframe=2 hours"]).ok();
    assert_eq!(
        r.stdout,
        "Hi Jane,\n\nThanks for reaching out about Export fails. I'm looking into this now and will get back to you within 2 hours.\n\nThe team\n"
    );
    let r = w
        .run(&[
            "ticket",
            "reply",
            &id,
            "--template",
            "resolution",
            "--set",
            "explanation=The export now streams.",
            "--set",
            "tip=Use filters for big exports",
            "--set",
            "issue=the export timeout",
        ])
        .ok();
    assert_eq!(
        r.stdout,
        "Hi Jane,\n\nGood news! I've resolved the export timeout. The export now streams.\n\nHere's a tip to help in the future: Use filters for big exports\n\nLet me know if you have any other questions!\n\nThe team\n"
    );
    let r = w
        .run(&[
            "ticket",
            "reply",
            &id,
            "--template",
            "escalation",
            "--set",
            "team=engineering",
            "--set",
            "timeframe=a day",
            "--set",
            "workaround=export by month",
        ])
        .ok();
    assert_eq!(
        r.stdout,
        "Hi Jane,\n\nI've escalated Export fails to our engineering team. They'll reach out within a day.\n\nIn the meantime, export by month.\n\nThe team\n"
    );
    assert_eq!(w.count("SELECT count(*) FROM ticket_events WHERE kind = 'replied'"), 3);
}

#[test]
fn a_missing_placeholder_is_refused_and_nothing_recorded() {
    let w = setup();
    let id = open(&w, "2026-11-20T09:00:00Z", "email");
    let before = w.dump();
    let r = w.run(&["ticket", "reply", &id, "--template", "escalation", "--set", "team=billing"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: the escalation template needs {timeframe}, {workaround}; nothing was recorded — add --set timeframe=... --set workaround=...\n"
    );
    assert_eq!(r.stdout, "");
    let r = w.run(&["ticket", "reply", &id, "--template", "ack", "--set", "mood=happy"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: the ack template has no placeholder {mood}; its placeholders are {name}, {issue}, {timeframe}, {founder}; nothing was recorded\n"
    );
    let r = w.run(&["ticket", "reply", &id, "--template", "nope"]).fails(1);
    assert!(
        r.stderr.starts_with("error: no template \"nope\"; `csf template list` shows them, and a file "),
        "{}",
        r.stderr
    );
    assert_eq!(w.dump(), before);
}

#[test]
fn a_user_template_overrides_a_built_in_one() {
    let w = setup();
    let dir = w.path("config/csf/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ack.txt"), "Hey {customer} — on it ({issue}), {{brace}}.\n").unwrap();
    std::fs::write(dir.join("thanks.txt"), "Thanks {customer}!").unwrap();
    let id = open(&w, "2026-11-20T09:00:00Z", "email");
    let r = w.run(&["ticket", "reply", &id, "--template", "ack"]).ok();
    assert_eq!(r.stdout, "Hey Acme Inc — on it (Export fails), {brace}.\n");
    let r = w.run(&["ticket", "reply", &id, "--template", "thanks"]).ok();
    assert_eq!(r.stdout, "Thanks Acme Inc!\n");
}

#[test]
fn overdue_at_the_exact_target_boundary() {
    let w = setup();
    let chat = open(&w, "2026-11-20T09:00:00Z", "chat");
    let email = open(&w, "2026-11-20T09:00:00Z", "email");
    let call = open(&w, "2026-11-20T09:00:00Z", "call");
    let overdue = |at: &str| -> Vec<String> {
        let j = w.run_at(at, &["ticket", "list", "--overdue", "-f", "json"]).ok().json();
        j.as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_string()).collect()
    };
    assert!(overdue("2026-11-20T10:00:00Z").is_empty(), "exactly at the chat target is not overdue");
    assert_eq!(overdue("2026-11-20T10:00:01Z"), std::slice::from_ref(&chat));
    assert_eq!(overdue("2026-11-21T09:00:00Z"), std::slice::from_ref(&chat));
    assert_eq!(overdue("2026-11-21T09:00:01Z"), [chat.clone(), email.clone()]);
    let j = w.run_at("2026-11-21T09:00:01Z", &["ticket", "list", "-f", "json"]).ok().json();
    let call_row = j.as_array().unwrap().iter().find(|t| t["id"] == call.as_str()).unwrap();
    assert!(call_row["target_at"].is_null());
    assert_eq!(call_row["overdue"], false);
    // a reply ends the wait
    w.run_at("2026-11-20T10:30:00Z", &["ticket", "reply", &chat, "--message", "Hi"]).ok();
    assert_eq!(overdue("2026-11-21T09:00:01Z"), std::slice::from_ref(&email));
    // and so does resolving without a reply
    w.run_at("2026-11-21T10:00:00Z", &["-q", "ticket", "resolve", &email]).ok();
    assert!(overdue("2026-11-22T09:00:00Z").is_empty());
}

#[test]
fn list_json_fields() {
    let w = setup();
    let id = open(&w, "2026-11-20T09:00:00Z", "chat");
    let j = w
        .run_at("2026-11-20T09:30:00Z", &["ticket", "list", "--open", "--customer", "acme", "-f", "json"])
        .ok()
        .json();
    let t = &j[0];
    let keys: Vec<&String> = t.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "customer_id",
            "subject",
            "category",
            "priority",
            "channel",
            "status",
            "created_at",
            "first_response_at",
            "resolved_at",
            "csat",
            "target_at",
            "overdue"
        ]
    );
    assert_eq!(t["id"], id.as_str());
    assert_eq!(t["target_at"], "2026-11-20T10:00:00Z");
    assert_eq!(t["status"], "open");
    let r = w.run_at("2026-11-20T09:30:00Z", &["ticket", "list"]).ok();
    assert!(r.stdout.contains("30 min left"), "{}", r.stdout);
}

#[test]
fn followups_suggest_docs_for_common_categories() {
    let w = setup();
    for _ in 0..3 {
        let id = open(&w, "2026-11-19T09:00:00Z", "email");
        w.run_at("2026-11-19T10:00:00Z", &["-q", "ticket", "resolve", &id]).ok();
    }
    let j = w.run(&["ticket", "followups", "-f", "json"]).ok().json();
    assert_eq!(j.as_array().unwrap().len(), 3);
    assert!(j[0]["actions"].as_str().unwrap().contains("update the docs"));
    w.run(&["-q", "ticket", "doc", "bug", "https://docs.example.com/export"]).ok();
    w.run(&["-q", "ticket", "plan", "bug", "Stream exports; add a size warning"]).ok();
    let j = w.run(&["ticket", "followups", "-f", "json"]).ok().json();
    assert!(!j[0]["actions"].as_str().unwrap().contains("update the docs"));
    let j = w.run(&["ticket", "plan", "-f", "json"]).ok().json();
    assert_eq!(j[0]["plan"], "Stream exports; add a size warning");
}
