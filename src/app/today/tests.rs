use std::collections::HashSet;

use super::*;
use crate::app::outreach::{self, Until};
use crate::time::DAY;

fn example() -> (Connection, Settings, i64) {
    crate::example::book("2026-11-20T12:00:00Z")
}

#[test]
fn one_judgement_per_customer_and_no_pitch_to_a_customer_with_a_warning_sign() {
    let (conn, settings, now) = example();
    let m = morning(&conn, &settings, now).unwrap();
    let due: Vec<Action> = m.due(&[]).collect();
    assert!(!due.is_empty());
    assert_eq!(m.count(&[]), due.len());
    assert_eq!(m.count(&[Kind::Rescue]), due.iter().filter(|a| a.kind == Kind::Rescue).count());
    let mut seen = HashSet::new();
    for a in due.iter().filter(|a| !matches!(a.kind, Kind::Ticket | Kind::Data)) {
        assert!(seen.insert(a.customer_id.clone()), "two actions for {}", a.customer_id);
    }
    let signs: HashSet<String> =
        churn::risks(&conn, now, &[]).unwrap().into_iter().map(|r| r.customer_id).collect();
    for a in &due {
        if a.kind == Kind::Expand {
            assert!(!signs.contains(&a.customer_id), "{} has a warning sign", a.id);
        }
    }
    assert!(due.windows(2).all(|w| w[0].kind <= w[1].kind), "ranked by kind");
    assert!(due.iter().all(|a| a.draft.is_none()), "no draft until shown");
    for a in &due {
        assert_eq!(m.find(&a.id.to_uppercase()).as_ref(), Some(a), "found by id, ignoring case");
    }
}

#[test]
fn drafts_are_messages_to_the_customer() {
    let (conn, settings, now) = example();
    let mut due: Vec<Action> = morning(&conn, &settings, now).unwrap().due(&[]).collect();
    fill_drafts(&conn, &settings, now, &mut due).unwrap();
    for a in due.iter().filter(|a| a.kind != Kind::Data) {
        let d = a.draft.as_ref().unwrap_or_else(|| panic!("{} has a draft", a.id));
        let msg = d.message(a.email.as_deref(), &default_subject(a));
        assert!(!msg.subject.is_empty() && msg.body.starts_with("Hi "), "{}: {msg:?}", a.id);
    }
}

#[test]
fn done_records_once_and_refuses_what_is_not_due() {
    let (mut conn, settings, now) = example();
    let m = morning(&conn, &settings, now).unwrap();
    let first = m.due(&[]).find(|a| a.kind != Kind::Data).unwrap().id;
    let count =
        |c: &Connection| -> i64 { c.query_row("SELECT count(*) FROM touches", [], |r| r.get(0)).unwrap() };
    let before = count(&conn);
    let e = outreach::done(&mut conn, &settings, now, &[first.clone(), "nope".into()], None).unwrap_err();
    assert!(e.to_string().contains("\"nope\""), "{e}");
    assert_eq!(count(&conn), before, "nothing stored on a refusal");
    let upper = first.to_uppercase();
    let recorded = outreach::done(&mut conn, &settings, now, &[upper], Some("sent")).unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!(count(&conn), before + 1);
    let e = outreach::done(&mut conn, &settings, now, std::slice::from_ref(&first), None).unwrap_err();
    assert!(e.to_string().contains("not due today"), "{e}");
}

#[test]
fn a_skip_hides_without_a_touch_until_its_end_and_undo_brings_it_back() {
    let (mut conn, settings, now) = example();
    let m = morning(&conn, &settings, now).unwrap();
    let a = m.due(&[Kind::Rescue]).next().unwrap();
    let skipped =
        outreach::skip(&mut conn, &settings, now, std::slice::from_ref(&a.id), Until::Days(3), None).unwrap();
    assert_eq!(skipped[0].1, (time::Day::of(now) + 3).start());
    let after = morning(&conn, &settings, now).unwrap();
    assert!(!after.due(&[]).any(|x| x.id == a.id));
    assert_eq!(after.skipped().iter().find(|x| x.id == a.id).unwrap().skipped_until, Some(skipped[0].1));
    let later = morning(&conn, &settings, skipped[0].1).unwrap();
    assert!(later.skipped().iter().all(|x| x.id != a.id), "the skip has ended");
    outreach::unskip(&mut conn, &settings, now, std::slice::from_ref(&a.id)).unwrap();
    assert!(morning(&conn, &settings, now).unwrap().due(&[]).any(|x| x.id == a.id));
    assert!(outreach::unskip(&mut conn, &settings, now, std::slice::from_ref(&a.id)).is_err());
    let touches: i64 = conn.query_row("SELECT count(*) FROM touches", [], |r| r.get(0)).unwrap();
    assert_eq!(touches, 0, "a skip is not a touch");
    let e = outreach::skip(&mut conn, &settings, now, &["rescue-nobody".into()], Until::Default, None);
    assert!(e.is_err());
    let e = outreach::skip(
        &mut conn,
        &settings,
        now,
        std::slice::from_ref(&a.id),
        Until::Day(time::Day::of(now)),
        None,
    )
    .unwrap_err();
    assert!(e.to_string().contains("is not after today"), "{e}");
}

/// The stale-data warning, given an event already seen: a fresh one settles
/// it without reading; a stale one (or none) leaves it to the newest of all.
#[test]
fn a_fresh_event_seen_settles_the_stale_data_warning() {
    let (conn, settings, now) = example();
    let later = now + 40 * DAY;
    let stale = stale_warning(&conn, &settings, later).unwrap().expect("40 days without data is stale");
    assert!(stale.days >= 40, "{}", stale.days);
    assert!(stale_warning_after(&conn, &settings, later, Some(later)).unwrap().is_none());
    let old = stale_warning_after(&conn, &settings, later, Some(now - 400 * DAY)).unwrap().unwrap();
    assert_eq!((old.newest_day, old.days), (stale.newest_day, stale.days));
    assert!(stale_warning_after(&conn, &settings, now, Some(now - 400 * DAY)).unwrap().is_none());
}

/// The edge of staleness: the newest event exactly `data.stale_days` days
/// old is fresh; a day more is stale (read without an event seen).
#[test]
fn data_turns_stale_the_day_after_stale_days() {
    let (conn, settings, now) = example();
    // The example has events after `now`: the newest of all of them.
    let newest = crate::store::usage::newest_usage(&conn, now + 365 * DAY).unwrap().unwrap();
    let days = i64::from(settings.count("data.stale_days"));
    let edge = (time::Day::of(newest) + days).end();
    assert!(stale_warning(&conn, &settings, edge).unwrap().is_none());
    let next = stale_warning(&conn, &settings, edge + 1).unwrap().expect("a day later it is stale");
    assert_eq!((next.days, next.newest_day), (days + 1, time::Day::of(newest)));
}
