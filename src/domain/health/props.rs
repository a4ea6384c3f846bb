//! Properties that hold whatever the facts and weights.

use proptest::prelude::*;

use super::*;
use crate::time::DAY;

proptest! {
    /// Whatever the facts and weights, components and the score stay in 0–100.
    #[test]
    fn scores_stay_within_0_and_100(
        signup in proptest::option::of(19_000i64..20_100),
        blocks in proptest::array::uniform4(any::<bool>()),
        core_used in 0usize..50,
        core in 0usize..50,
        nps in proptest::option::of((0i64..=20_000 * DAY, 0i64..=10)),
        csat_n in 0i64..20,
        csat_ratings in proptest::collection::vec(1i64..=5, 20),
        pay in 0u8..4,
        w0 in 0u32..=100, w1 in 0u32..=100, w2 in 0u32..=100,
    ) {
        let n = csat_n as usize;
        let csat = (csat_ratings[..n].iter().map(|r| 25 * (r - 1)).sum(), csat_n);
        let payment = [None, Some(Payment::Paid), Some(Payment::Late), Some(Payment::Failed)][pay as usize];
        let f = Facts { signup_day: signup.map(Day::from_number), active_blocks: blocks, core_used, latest_nps: nps, csat, payment, ..Facts::default() };
        let today = Day::from_number(20_000);
        let c = components(&f, core, today, today.start() + 43_200);
        for v in [c.usage, c.engagement, c.satisfaction, c.payment] {
            prop_assert!((0.0..=100.0).contains(&v), "{c:?}");
        }
        // any weights summing to 100
        let (a, b) = (w0.min(100), w1.min(100 - w0.min(100)));
        let cc = w2.min(100 - a - b);
        let w = [a, b, cc, 100 - a - b - cc];
        let s = score(&c, Weights(w));
        prop_assert!((0..=100).contains(&s));
        prop_assert_eq!(Band::of(s), Band::of(s.clamp(0, 100)));
    }
}
