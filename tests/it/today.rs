//! `csf today`, `csf done`, `csf touch`, `csf template` (docs/today.md): one
//! scripted morning with every kind of action, for the right customer, in
//! order of urgency; doing each clears it and records what docs/today.md says.

use crate::common::Work;

/// NOW is 2026-11-20T12:00:00Z. Core features: reports, export.
/// - tix: reports in each of the 4 weekly blocks, no NPS, paid → U 100,
///   E 50, S 50, P 100 → 75 neutral; a chat ticket opened 09:00, unanswered
///   (target 10:00) → `ticket-1`.
/// - risky: reports twice in the last block, failed payment → U 25, E 50,
///   S 50, P 0 → 35 critical → `rescue-risky` (with payment-failure).
/// - gone: churned 2026-11-13 → win-back day 7 → `winback-gone-7`.
/// - newbie: signed up 2026-11-17 with reports that day → U 100 (one
///   eligible block), E 50 → 75; onboarding day 3 → `onboarding-newbie-3`.
/// - star: reports and export in every block, NPS 10, paid → 100 healthy →
///   `expand-star`.
pub fn morning() -> Work {
    let w = Work::new();
    let files = [
        (
            "customers",
            "id,name,email,signed_up_at,churned_at,mrr\n\
             tix,Tix Ltd,jane.doe@tix.io,2026-01-01,,49\n\
             risky,Risky Inc,ops@risky.io,2026-01-01,,99\n\
             gone,Gone Co,bob@gone.io,2026-01-01,2026-11-13T10:00:00Z,29\n\
             newbie,Newbie SA,ana@newbie.io,2026-11-17T09:00:00Z,,19\n\
             star,Star plc,max@star.io,2026-01-01,,199\n",
        ),
        (
            "usage",
            "customer,timestamp,event\n\
             tix,2026-10-25,reports\ntix,2026-11-01,reports\ntix,2026-11-08,reports\ntix,2026-11-15,reports\n\
             risky,2026-11-15,reports\nrisky,2026-11-16,reports\n\
             newbie,2026-11-17T09:30:00Z,reports\n\
             star,2026-10-25,reports\nstar,2026-10-25,export\nstar,2026-11-01,reports\nstar,2026-11-01,export\n\
             star,2026-11-08,reports\nstar,2026-11-08,export\nstar,2026-11-15,reports\nstar,2026-11-15,export\n",
        ),
        ("billing", "customer,date,amount,status\ntix,2026-11-01,49,paid\nrisky,2026-11-01,99,failed\nstar,2026-11-01,199,paid\n"),
        ("nps", "customer,responded_at,score\nstar,2026-11-10,10\n"),
        ("tickets", "id,customer,subject,channel,created_at\n1,tix,Export is slow,chat,2026-11-20T09:00:00Z\n"),
    ];
    for (kind, csv) in files {
        w.file(&format!("{kind}.csv"), csv);
        w.run(&["-q", "import", kind, &format!("{kind}.csv")]).ok();
    }
    for (k, v) in [
        ("health.core_features", "reports,export"),
        ("product.name", "Metricly"),
        ("founder.name", "Sam"),
        ("product.first_step", "connect a data source"),
    ] {
        w.run(&["-q", "config", "set", k, v]).ok();
    }
    w.run(&["-q", "health", "score"]).ok();
    w
}

fn ids(w: &Work, now: Option<&str>) -> Vec<(String, String, String)> {
    let r = match now {
        Some(n) => w.run_at(n, &["today", "-f", "json"]),
        None => w.run(&["today", "-f", "json"]),
    };
    r.ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["kind"].as_str().unwrap().to_string(),
                a["customer_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn triple(id: &str, kind: &str, c: &str) -> (String, String, String) {
    (id.into(), kind.into(), c.into())
}

#[test]
fn a_scripted_morning_lists_every_kind_in_order_and_done_clears_each() {
    let w = morning();
    assert_eq!(
        ids(&w, None),
        [
            triple("ticket-1", "ticket", "tix"),
            triple("rescue-risky", "rescue", "risky"),
            triple("onboarding-newbie-3", "onboarding", "newbie"),
            triple("winback-gone-7", "winback", "gone"),
            triple("expand-star", "expand", "star"),
        ]
    );
    let j = w.run(&["today", "-f", "json"]).ok().json();
    let keys: Vec<&String> = j[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "kind",
            "customer_id",
            "name",
            "email",
            "mrr",
            "risk",
            "expected_loss",
            "due_on",
            "why",
            "action",
            "draft"
        ]
    );
    assert_eq!(j[0]["mrr"], 49.0);
    assert_eq!(j[3]["mrr"], 29.0, "a churned customer's MRR lost");
    assert_eq!(j[0]["email"], "jane.doe@tix.io");
    assert_eq!(
        j[0]["why"],
        "chat ticket \"Export is slow\" unanswered for 3 h, 2 h past its first-response target"
    );
    assert_eq!(j[0]["due_on"], "2026-11-20");
    assert_eq!(
        j[0]["draft"],
        serde_json::json!({
            "from": null,
            "to": "jane.doe@tix.io",
            "subject": "Re: Export is slow",
            "body": "Hi Jane,\n\nThanks for reaching out about Export is slow. I'm looking into this now and will get back to you within 24 hours.\n\nSam\n"
        })
    );
    assert_eq!(j[1]["why"], "critical (health 35); payment-failure: payment failed on 2026-11-01");
    assert_eq!(j[1]["action"], "Intervention required; Dunning sequence");
    assert_eq!(j[3]["action"], "Email (day 7): Here's what you're missing...");
    assert_eq!(j[3]["draft"]["subject"], "Here's what you're missing...");
    assert!(j[3]["draft"]["body"].as_str().unwrap().starts_with("Hi Bob,"), "{}", j[3]["draft"]);
    assert_eq!(j[2]["action"], "Tips (day 3): Help them go deeper");
    assert!(j[2]["draft"]["body"].as_str().unwrap().contains("Hi Ana,"), "{}", j[2]["draft"]);
    assert_eq!(j[4]["action"], "Expansion opportunity");
    for a in j.as_array().unwrap() {
        let d = a["draft"]["body"].as_str().unwrap();
        assert!(!d.contains('{') && !d.contains("NOT READY"), "{d}");
        assert!(d.trim_end().ends_with("Sam"), "signed by the founder: {d}");
    }
    w.run(&["-q", "today", "--fail-on", "due"]).fails(3);

    let r = w
        .run(&["done", "ticket-1", "rescue-risky", "winback-gone-7", "onboarding-newbie-3", "expand-star"])
        .ok();
    assert!(r.stderr.contains("Done: ticket-1 — reply recorded on ticket 1"), "{}", r.stderr);
    assert_eq!(ids(&w, None), []);
    w.run(&["today", "--fail-on", "due"]).ok();
    // What docs/today.md says each records.
    assert_eq!(w.count("SELECT first_response_at FROM tickets WHERE id = '1'"), 1_795_176_000);
    assert_eq!(
        w.count("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.tid = e.tid WHERE t.id = '1' AND e.kind = 'replied' AND e.body LIKE 'Hi Jane,%'"),
        1
    );
    assert_eq!(
        w.count("SELECT count(*) FROM outreach_done o JOIN customers c ON c.cid = o.cid WHERE c.id = 'gone' AND sequence = 'winback' AND step_day = 7 AND started_on = '2026-11-13'"),
        1
    );
    assert_eq!(
        w.count("SELECT count(*) FROM outreach_done o JOIN customers c ON c.cid = o.cid WHERE c.id = 'newbie' AND sequence = 'onboarding' AND step_day = 3"),
        1
    );
    let touches: Vec<(String, String, String)> = {
        let c = w.conn();
        let mut st = c
            .prepare("SELECT c.id, t.kind, t.action_kind FROM touches t JOIN customers c ON c.cid = t.cid ORDER BY c.id")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(
        touches,
        [
            triple("gone", "email", "winback"),
            triple("newbie", "email", "onboarding"),
            triple("risky", "call", "rescue"),
            triple("star", "email", "expand"),
            triple("tix", "email", "ticket"),
        ]
    );
    let show = w.run(&["customer", "show", "risky", "-f", "json"]).ok().json();
    assert_eq!(show["touches"][0]["action"], "rescue-risky");
}

/// Health is read live, as of now: no `health score` is needed first.
#[test]
fn the_morning_needs_no_stored_scores() {
    let w = morning();
    w.conn().execute("DELETE FROM health_snapshots", []).unwrap();
    let got: Vec<String> = ids(&w, None).into_iter().map(|t| t.0).collect();
    assert_eq!(got, ["ticket-1", "rescue-risky", "onboarding-newbie-3", "winback-gone-7", "expand-star"]);
}

#[test]
fn tomorrow_done_items_stay_done_and_new_ones_appear() {
    let w = morning();
    w.run(&[
        "-q",
        "done",
        "ticket-1",
        "rescue-risky",
        "winback-gone-7",
        "onboarding-newbie-3",
        "expand-star",
    ])
    .ok();
    w.file(
        "t2.csv",
        "id,customer,subject,channel,created_at\n2,star,SSO question,email,2026-11-21T08:00:00Z\n",
    );
    w.run(&["-q", "import", "tickets", "t2.csv"]).ok();
    let tomorrow = "2026-11-21T12:00:00Z";
    w.run_at(tomorrow, &["-q", "health", "score"]).ok();
    // No usage imported since 2026-11-17: four days is stale (data.stale_days 3), so that comes first.
    assert_eq!(
        ids(&w, Some(tomorrow)),
        [triple("data-usage-2026-11-17", "data", ""), triple("ticket-2", "ticket", "star")]
    );
    // A week on: the rescue stays done (nothing new since; it comes back after 30 days or
    // with a new reason), the next steps are due.
    let week = "2026-11-27T12:00:00Z";
    w.run_at(week, &["-q", "health", "score"]).ok();
    let got: Vec<String> = ids(&w, Some(week)).into_iter().map(|t| t.0).collect();
    assert!(!got.contains(&"rescue-risky".to_string()), "{got:?}");
    let month: Vec<String> = ids(&w, Some("2026-12-21T12:00:00Z")).into_iter().map(|t| t.0).collect();
    assert!(month.contains(&"rescue-risky".to_string()), "30 days on: {month:?}");
    // Newbie went quiet after day 0, but is new (10 days, grace 14): its onboarding step is its action.
    assert!(!got.contains(&"rescue-newbie".to_string()), "{got:?}");
    let j = w.run_at(week, &["today", "--all", "-f", "json"]).ok().json();
    let newbie = j.as_array().unwrap().iter().find(|a| a["customer_id"] == "newbie").unwrap().clone();
    assert_eq!(newbie["kind"], "onboarding", "{newbie}");
    assert!(newbie["why"].as_str().unwrap().contains("onboarding day 10: Check-in due"), "{newbie}");
    assert!(!got.contains(&"expand-star".to_string()), "a done expand stays quiet for 90 days: {got:?}");
}

#[test]
fn done_with_a_bad_id_stores_nothing_and_names_it() {
    let w = morning();
    let before = w.dump();
    let r = w.run(&["done", "ticket-1", "rescue-nobody", "expand-star", "winback-gone-1"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: ids \"rescue-nobody\", \"winback-gone-1\" (did you mean winback-gone-7?) not due today (unknown, or already done); nothing was stored — `csf today --all` lists the ids that are\n"
    );
    assert_eq!(w.dump(), before);
    // Done twice: the second time the id is stale.
    w.run(&["-q", "done", "expand-star"]).ok();
    let before = w.dump();
    let r = w.run(&["done", "expand-star"]).fails(1);
    assert!(r.stderr.contains("id \"expand-star\" not due today"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
}

#[test]
fn a_touch_by_hand_quiets_the_rescue_and_shows_in_the_profile() {
    let w = morning();
    w.run(&["-q", "touch", "risky", "--kind", "call", "--note", "card updated next week"]).ok();
    let got: Vec<String> = ids(&w, None).into_iter().map(|t| t.0).collect();
    assert!(!got.contains(&"rescue-risky".to_string()), "{got:?}");
    let show = w.run(&["customer", "show", "risky", "-f", "json"]).ok().json();
    assert_eq!(show["touches"][0]["kind"], "call");
    assert_eq!(show["touches"][0]["note"], "card updated next week");
    assert!(show["touches"][0]["action"].is_null());
    let text = w.run(&["customer", "show", "risky"]).ok().stdout;
    assert!(text.contains("card updated next week"), "{text}");
    let before = w.dump();
    let r = w.run(&["touch", "nobody", "--note", "x"]).fails(1);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    let r = w.run(&["touch", "risky", "--note", "  "]).fails(1);
    assert!(r.stderr.contains("the note is empty"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
}

/// Unset settings read as plain words (and `today` says which to set); a
/// placeholder nothing can fill — here from a template file in the config
/// folder — is a named hole, never sent.
#[test]
fn a_draft_with_a_missing_value_names_the_placeholder() {
    let w = morning();
    w.run(&["-q", "config", "unset", "product.name"]).ok();
    let r = w.run(&["today", "-f", "json"]).ok();
    assert!(r.stderr.contains("Drafts use plain words for product.name"), "{}", r.stderr);
    let j = r.json();
    let onboarding = j.as_array().unwrap().iter().find(|a| a["kind"] == "onboarding").unwrap();
    let d = onboarding["draft"]["subject"].as_str().unwrap();
    assert!(d.contains("get more out of our product"), "{d}");
    let dir = w.path("config/csf/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("onboarding-3.txt"), "Hi {name}, {nickname} says hi from {product}.\n").unwrap();
    let j = w.run(&["today", "-f", "json"]).ok().json();
    let onboarding = j.as_array().unwrap().iter().find(|a| a["kind"] == "onboarding").unwrap();
    assert_eq!(
        onboarding["draft"]["body"],
        "[NOT READY: fill {nickname}]\n\nHi Ana, {nickname} says hi from our product.\n"
    );
    let md = w.run(&["today", "-f", "markdown"]).ok().stdout;
    assert!(md.starts_with("## Today — 2026-11-20\n"), "{md}");
    assert!(md.contains("NOT READY: fill {nickname}"), "{md}");
}

/// A reply draft with a hole is never recorded: `done` names the hole and
/// stores nothing, not even the other actions of the same command.
#[test]
fn done_refuses_a_reply_draft_with_a_hole_and_stores_nothing() {
    let w = morning();
    let dir = w.path("config/csf/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ack.txt"), "Hi {customer}, {mood} about {issue}.\n").unwrap();
    let before = w.dump();
    let r = w.run(&["done", "expand-star", "ticket-1"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: ticket-1: the reply draft has holes ({mood}); nothing was stored — fill them (`csf template set ack`) or reply with `csf ticket reply`\n"
    );
    assert_eq!(w.dump(), before);
}

#[test]
fn templates_list_show_set_and_reset_and_drafts_follow() {
    let w = morning();
    let list = w.run(&["template", "list", "-f", "json"]).ok().json();
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    for n in ["ack", "resolution", "escalation", "onboarding-0", "onboarding-21", "winback-1", "winback-60"] {
        assert!(names.contains(&n), "{n}");
    }
    assert!(w
        .run(&["template", "show", "winback-1"])
        .ok()
        .stdout
        .contains("We noticed you haven't been around"));
    w.file("ack.txt", "Hello {customer}, about {issue}: back within {timeframe}.\n");
    w.run(&["-q", "template", "set", "ack", "ack.txt"]).ok();
    let j = w.run(&["today", "-f", "json"]).ok().json();
    assert_eq!(j[0]["draft"]["body"], "Hello Tix Ltd, about Export is slow: back within 24 hours.\n");
    // `ticket reply --template ack` uses the same text.
    let r = w.run(&["ticket", "reply", "1", "--template", "ack", "--set", "timeframe=2 hours"]).ok();
    assert_eq!(r.stdout, "Hello Tix Ltd, about Export is slow: back within 2 hours.\n");
    let listed = w.run(&["template", "list", "-f", "json"]).ok().json();
    let ack = listed.as_array().unwrap().iter().find(|t| t["name"] == "ack").unwrap().clone();
    assert_eq!(ack["source"], "changed");
    w.run(&["-q", "template", "reset", "ack"]).ok();
    assert!(w.run(&["template", "show", "ack"]).ok().stdout.starts_with("Hi {name},"));
    // Refusals change nothing.
    let before = w.dump();
    w.file("bad.txt", "Hi {nickname}\n");
    let r = w.run(&["template", "set", "onboarding-0", "bad.txt"]).fails(1);
    assert!(r.stderr.contains("csf cannot fill {nickname} in the onboarding-0 template"), "{}", r.stderr);
    let r = w.run(&["template", "set", "nope", "ack.txt"]).fails(1);
    assert!(r.stderr.contains("no template \"nope\" to set"), "{}", r.stderr);
    w.file("empty.txt", "  \n");
    w.run(&["template", "set", "ack", "empty.txt"]).fails(1);
    assert_eq!(w.dump(), before);
}

/// A signup of this morning, with no usage yet, is scored (critical, as
/// anyone without usage) but is new: its action is the welcome (onboarding
/// day 0), it is in no alert, `--fail-on` ignores it, and `health list`
/// marks it `new` (docs/today.md).
#[test]
fn a_signup_of_the_morning_is_welcomed_not_rescued_and_in_no_alert() {
    let w = Work::new();
    w.file("c.csv", "id,name,email,mrr,signed_up_at\nfresh,Fresh Co,ana@fresh.io,49,2026-11-20T08:00:00Z\n");
    w.run(&["-q", "import", "customers", "c.csv"]).ok();
    w.run_at("2026-11-20T12:00:00Z", &["-q", "health", "score", "--fail-on", "critical"]).ok();
    let list = w.run(&["health", "list", "-f", "json"]).ok().json();
    assert_eq!(list[0]["status"], "critical", "scored and stored as anyone: {list}");
    assert_eq!(list[0]["new"], true);
    assert!(w.run(&["health", "list"]).ok().stdout.contains("critical · new"));
    assert_eq!(w.run(&["health", "alerts", "-f", "json"]).ok().json(), serde_json::json!([]));
    let today = w.run(&["today", "-f", "json"]).ok().json();
    let ids: Vec<&str> = today.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["onboarding-fresh-0"], "{today}");
    assert!(!today[0]["why"].as_str().unwrap().contains("critical"), "{}", today[0]["why"]);
    let metrics = w.run(&["report", "metrics", "-f", "json"]).ok().json();
    let at_risk = metrics.as_array().unwrap().iter().find(|m| m["metric"] == "mrr_at_risk").unwrap();
    assert_eq!(at_risk["value"], 0.0, "{at_risk}");
    // 14 days later it is no longer new: its band alerts and rescues.
    w.run_at("2026-12-04T12:00:00Z", &["-q", "health", "score"]).ok();
    let r = w.run_at("2026-12-04T12:00:00Z", &["-q", "health", "score", "--fail-on", "critical"]).fails(3);
    assert_eq!(r.stdout, "");
    let today = w.run_at("2026-12-04T12:00:00Z", &["today", "-f", "json"]).ok().json();
    assert_eq!(today[0]["id"], "rescue-fresh", "{today}");
}

/// A source that has not synced in `data.stale_days` puts a `data` action
/// first: its billing (failed payments, MRR) is as stale as old usage.
#[test]
fn a_source_that_has_not_synced_lately_comes_first() {
    let w = morning();
    w.conn()
        .execute(
            "INSERT INTO sync_state (source, cursor, synced_at, summary) VALUES ('stripe', '{}', ?1, '{}')",
            [1_794_700_000i64], // 2026-11-14
        )
        .unwrap();
    let j = w.run(&["today", "-f", "json"]).ok().json();
    assert_eq!(j[0]["id"], "data-stripe-2026-11-14", "{j}");
    assert!(
        j[0]["why"].as_str().unwrap().contains("stripe data ends 2026-11-14 (6 days ago"),
        "{}",
        j[0]["why"]
    );
    let before = w.dump();
    w.run(&["skip", "data-stripe-2026-11-14"]).fails(1);
    assert_eq!(w.dump(), before);
    // Synced yesterday: nothing to say.
    w.conn().execute("UPDATE sync_state SET synced_at = ?1", [1_795_100_000i64]).unwrap();
    let j = w.run(&["today", "-f", "json"]).ok().json();
    assert!(j.as_array().unwrap().iter().all(|a| a["kind"] != "data"), "{j}");
}
