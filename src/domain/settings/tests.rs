//! Unit tests of the configuration keys.

use super::*;
use crate::domain::health::Weights;

#[test]
fn weights_must_be_four_integers_summing_to_100() {
    assert_eq!(validate("health.weights", "50, 20,20,10"), Ok("50,20,20,10".into()));
    for bad in ["40,30,20", "40,30,20,11", "-10,60,40,10", "a,b,c,d", "40.5,29.5,20,10"] {
        assert!(validate("health.weights", bad).is_err(), "{bad}");
    }
}

#[test]
fn unknown_keys_and_bad_numbers_are_refused() {
    assert!(validate("health.colour", "x").unwrap_err().contains("known keys"));
    assert!(validate("targets.csat_percent", "-1").is_err());
    assert!(validate("targets.nps", "-10").is_ok());
    assert!(validate("health.core_features", " , ").is_err());
}

#[test]
fn defaults_apply_until_set() {
    let s = Settings::from_stored(vec![("targets.nps".into(), "30".into())]);
    assert_eq!(s.number("targets.nps"), 30.0);
    assert_eq!(s.number("targets.csat_percent"), 90.0);
    assert_eq!(s.weights(), Weights([40, 30, 20, 10]));
    assert_eq!(s.core_features(), None);
    assert_eq!(s.ignore_events(), vec!["login", "setup_complete"]);
    assert_eq!((s.count("today.limit"), s.count("data.stale_days")), (10, 3));
    let s = Settings::from_stored(vec![("today.limit".into(), "25".into())]);
    assert_eq!(s.count("today.limit"), 25);
    assert!(validate("today.limit", "0").unwrap_err().contains("at least 1"));
    assert!(validate("data.stale_days", "2.5").is_err());
}

#[test]
fn postgres_keys_name_where_the_url_is_never_the_url() {
    assert_eq!(validate("postgres.url_env", "CSF_PG_URL"), Ok("CSF_PG_URL".into()));
    let e = validate("postgres.url_env", "postgres://csf:hunter2@db/app").unwrap_err();
    assert!(e.contains("never stored") && !e.contains("hunter2"), "{e}");
    assert!(validate("postgres.url_env", "1BAD NAME").is_err());
    assert!(validate("postgres.url_file", "postgresql://u:p@h/d").is_err());
    assert_eq!(validate("postgres.url_file", "/etc/csf/pg.url"), Ok("/etc/csf/pg.url".into()));
    let s = Settings::from_stored(vec![]);
    assert_eq!((s.count("postgres.statement_timeout_s"), s.number("postgres.overlap_minutes")), (300, 60.0));
    assert!(validate("postgres.overlap_minutes", "0").is_ok());
}

#[test]
fn an_api_base_is_https_or_loopback_http() {
    assert_eq!(
        validate("stripe.api_base", "https://api.stripe.com/v1/"),
        Ok("https://api.stripe.com/v1".into())
    );
    for ok in ["http://127.0.0.1:12111/v1", "http://[::1]:80/v1", "http://localhost/v1"] {
        assert!(validate("stripe.api_base", ok).is_ok(), "{ok}");
    }
    assert!(validate("stripe.api_base", "http://api.stripe.com/v1").unwrap_err().contains("loopback"));
    assert!(check_api_base("http://127.0.0.1.evil.com/v1").is_err() && check_api_base("ftp://x").is_err());
}

#[test]
fn secrets_are_refused_and_ordinary_text_is_not() {
    for v in
        ["sk_live_51Habc", "rk_test_xyz", "postgres://csf:hunter2@db.example:5432/app", "https://u:p@x.io/"]
    {
        let e = validate("product.name", v).unwrap_err();
        assert!(e.contains("secrets are never stored"), "{v}: {e}");
    }
    for v in [
        "Risk_live_ops",
        "our sk_live_ pricing",
        "postgres://db.example/app",
        "https://x.io/a:b@c",
        "mailto:jane@x.io",
    ] {
        assert!(validate("product.name", v).is_ok(), "{v}");
    }
}
