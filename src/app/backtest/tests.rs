use super::*;
use crate::time;

#[test]
fn the_default_window_ends_a_horizon_before_today() {
    let today = Day::from_number(20_000);
    let w = Window::new(today, None, None, None, None).unwrap();
    assert_eq!((w.to, w.from, w.every, w.horizon), (today - 90, today - 90 - 330, 30, 90));
    assert_eq!(w.cutoffs().len(), 12);
    assert_eq!(w.cutoffs()[0], (today - 420).end());
    assert!(Window::new(today, None, Some(today - 10), None, None).is_err());
    assert!(Window::new(today, Some(today - 100), Some(today - 200), None, None).is_err());
    assert!(Window::new(today, None, None, Some(0), None).is_err());
}

#[test]
fn replay_samples_every_active_customer_at_every_cutoff() {
    let (conn, settings, now) = crate::example::book("2026-11-20T12:00:00Z");
    let w = Window::new(time::Day::of(now), None, None, Some(14), Some(30)).unwrap();
    let ticks = std::cell::Cell::new(0);
    let r = replay(&conn, &settings, w, &|| ticks.set(ticks.get() + 1)).unwrap();
    assert_eq!(ticks.get(), r.cutoffs.len());
    // Every active customer at every cutoff, and the example book has some.
    let active: usize =
        r.cutoffs.iter().map(|&c| r.history.customers.iter().filter(|cu| cu.active_at(c)).count()).sum();
    assert!(active > 0 && r.cutoffs.len() > 1, "{active} samples over {} cutoffs", r.cutoffs.len());
    assert_eq!(r.samples.len(), active);
    for s in &r.samples {
        assert!(r.history.customers[s.customer()].active_at(r.cutoffs[s.cutoff()]));
    }
    assert_eq!(r.scored(settings.weights()).len(), r.samples.len());
}
