//! `csf config` (README.md).

use crate::common::Work;

#[test]
fn set_get_unset_round_trip() {
    let w = Work::new();
    w.run(&["init"]).ok();
    assert_eq!(w.run(&["config", "get", "health.weights"]).ok().stdout, "40,30,20,10\n");
    w.run(&["config", "set", "health.weights", "50, 20, 20, 10"]).ok();
    assert_eq!(w.run(&["config", "get", "health.weights"]).ok().stdout, "50,20,20,10\n");
    w.run(&["config", "unset", "health.weights"]).ok();
    assert_eq!(w.run(&["config", "get", "health.weights"]).ok().stdout, "40,30,20,10\n");
}

#[test]
fn invalid_weights_are_refused_and_nothing_changes() {
    let w = Work::new();
    w.run(&["init"]).ok();
    w.run(&["config", "set", "health.weights", "50,20,20,10"]).ok();
    let before = w.dump();
    let r = w.run(&["config", "set", "health.weights", "50,30,20,10"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: health.weights must be four non-negative integers summing to 100 \
         (usage,engagement,satisfaction,payment), e.g. 40,30,20,10; got \"50,30,20,10\"; nothing was changed\n"
    );
    assert_eq!(w.dump(), before);
}

#[test]
fn unknown_key_lists_the_known_ones() {
    let w = Work::new();
    w.run(&["init"]).ok();
    let r = w.run(&["config", "set", "health.colour", "red"]).fails(1);
    assert!(r.stderr.contains("unknown config key \"health.colour\""), "{}", r.stderr);
    assert!(r.stderr.contains("health.core_features"), "{}", r.stderr);
    w.run(&["config", "get", "nope"]).fails(1);
}

#[test]
fn list_in_json_has_every_key() {
    let w = Work::new();
    w.run(&["init"]).ok();
    w.run(&["config", "set", "targets.nps", "30"]).ok();
    let j = w.run(&["config", "list", "-f", "json"]).ok().json();
    let a = j.as_array().unwrap();
    let nps = a.iter().find(|o| o["key"] == "targets.nps").unwrap();
    assert_eq!(nps["value"], "30");
    assert_eq!(nps["default"], "40");
    assert_eq!(nps["set"], true);
    let core = a.iter().find(|o| o["key"] == "health.core_features").unwrap();
    assert!(core["value"].is_null());
}

/// Secrets never go into the database: a Stripe key or a URL with a password
/// is refused naming why; ordinary text with such letters is not.
#[test]
fn a_secret_is_refused_and_nothing_is_stored() {
    let w = Work::new();
    w.run(&["-q", "init"]).ok();
    let before = w.dump();
    for v in ["sk_live_51HxYz", "rk_test_abc", "postgres://csf:hunter2@db:5432/app"] {
        let r = w.run(&["config", "set", "product.name", v]).fails(1);
        assert!(r.stderr.contains("secrets are never stored in the database"), "{}", r.stderr);
        assert!(
            !r.stderr.contains(v) && !r.stderr.contains("hunter2"),
            "the secret is never echoed: {}",
            r.stderr
        );
    }
    assert_eq!(w.dump(), before);
    w.run(&["-q", "config", "set", "product.name", "Risk_live_ analytics"]).ok();
}

/// Changing the currency of a database that holds amounts relabels them:
/// refused with the reason unless --force.
#[test]
fn the_currency_of_stored_amounts_changes_only_with_force() {
    let w = Work::new();
    w.run(&["-q", "init"]).ok();
    w.run(&["-q", "config", "set", "currency", "EUR"]).ok(); // no amounts yet
    w.run(&["-q", "customer", "add", "acme", "--mrr", "49"]).ok();
    let before = w.dump();
    let r = w.run(&["config", "set", "currency", "GBP"]).fails(1);
    assert!(r.stderr.contains("1 stored amounts are in EUR") && r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(w.dump(), before);
    w.run(&["-q", "config", "set", "currency", "EUR"]).ok(); // the same: no change
    w.run(&["-q", "config", "set", "currency", "GBP", "--force"]).ok();
    assert_eq!(w.run(&["config", "get", "currency"]).ok().stdout, "GBP\n");
}
