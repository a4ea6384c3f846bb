//! Settings out of their sane range are refused with the range, and the
//! database is as it was.

use crate::common::Work;

#[test]
fn settings_outside_their_range_are_refused_with_the_range() {
    let w = Work::new();
    w.run(&["-q", "init"]).ok();
    let hours = "of hours from 1 minute (0.0167) to 90 days (2160)";
    for (key, value, range) in [
        ("targets.first_response_hours", "0", hours),
        ("targets.first_response_hours", "0.01", hours),
        ("targets.resolution_hours", "2161", hours),
        ("targets.chat_response_hours", "1e9", hours),
        ("targets.email_response_hours", "-1", hours),
        ("targets.nps", "101", "from -100 to 100"),
        ("targets.nps", "-100.5", "from -100 to 100"),
        ("targets.csat_percent", "150", "from 0 to 100 (percent)"),
        ("targets.churn_rate_percent", "-5", "from 0 to 100 (percent)"),
        ("targets.d1_retention_percent", "NaN", "from 0 to 100 (percent)"),
    ] {
        let words = format!("{key} must be a number {range}, got \"{value}\"");
        w.refuses(&["config", "set", "--", key, value], &[&words]);
    }
    for (key, value) in [
        ("targets.first_response_hours", "0.0167"),
        ("targets.resolution_hours", "2160"),
        ("targets.nps", "-100"),
        ("targets.nps", "100"),
        ("targets.csat_percent", "0"),
        ("targets.support_load_percent", "100"),
    ] {
        w.run(&["-q", "config", "set", "--", key, value]).ok();
        assert_eq!(w.run(&["config", "get", key]).ok().stdout.trim(), value);
    }
}
