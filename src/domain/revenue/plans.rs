//! Revenue by plan (docs/revenue.md): each customer's MRR and status
//! attributed to the plan it was on at the time. A change of plan moves the
//! MRR it had from one plan to the other (`moved_out`, `moved_in`), so the
//! plans still add up to the whole; a same-day change of amount is expansion
//! or contraction on the new plan.

use std::collections::BTreeMap;

use super::{Movements, MrrHistory};
use crate::money::Cents;

/// The name a customer without a plan is grouped under.
pub const NO_PLAN: &str = "(none)";

impl MrrHistory {
    /// The plan at `t`: the latest change on or before it; before the first
    /// change, the first plan; `current` when there is no plan history.
    pub fn plan_at<'a>(&'a self, t: i64, current: Option<&'a str>) -> Option<&'a str> {
        match self.plans.iter().take_while(|(at, _)| *at <= t).last().or(self.plans.first()) {
            Some((_, p)) => p.as_deref(),
            None => current,
        }
    }
}

impl Movements {
    /// Adds another's figures (the same plan's parts).
    pub fn merge(&mut self, o: &Movements) {
        self.mrr_start += o.mrr_start;
        self.new += o.new;
        self.expansion += o.expansion;
        self.contraction += o.contraction;
        self.churned += o.churned;
        self.reactivation += o.reactivation;
        self.mrr_end += o.mrr_end;
        self.customers_start += o.customers_start;
        self.customers_end += o.customers_end;
        self.moved_in += o.moved_in;
        self.moved_out += o.moved_out;
    }
}

/// The movements of `[start, end)` per plan. Each customer is cut at its
/// plan changes inside the period: every piece is counted in its plan, the
/// MRR at a cut leaving the old plan (`moved_out`) and entering the new one
/// (`moved_in`). For every plan: start + new + expansion − contraction −
/// churned + reactivation + moved_in − moved_out = end, and the plans add up
/// to [`super::movements`] of everyone.
pub fn movements_by_plan<'a>(
    customers: impl IntoIterator<Item = (&'a MrrHistory, Option<&'a str>)>,
    start: i64,
    end: i64,
) -> BTreeMap<String, Movements> {
    let mut out: BTreeMap<String, Movements> = BTreeMap::new();
    for (h, current) in customers {
        // The pieces: (from, plan), the first from the period's start.
        let mut cuts: Vec<(i64, Option<&str>)> = vec![(start, h.plan_at(start - 1, current))];
        for (at, p) in h.plans.iter().filter(|(at, _)| *at >= start && *at < end) {
            if cuts.last().is_some_and(|(_, last)| *last != p.as_deref()) {
                cuts.push((*at, p.as_deref()));
            }
        }
        let n = cuts.len();
        for (i, (from, plan)) in cuts.iter().enumerate() {
            let to = cuts.get(i + 1).map_or(end, |c| c.0);
            let (x, y) = (h.mrr_at(from - 1), h.mrr_at(to - 1));
            let mut m = Movements::default();
            m.add(x, y, x == Cents::ZERO && y > Cents::ZERO && h.paid_before(*from));
            if i + 1 == n {
                // A churn loses the MRR recorded just before it (as `movements`).
                let lost = h.churn_ending(*from, end - 1).map(|t| h.lost_at(t));
                if let Some(c) =
                    lost.filter(|c| x > Cents::ZERO && y == Cents::ZERO && *c > Cents::ZERO && *c != x)
                {
                    m.churned += c - x;
                    if c > x {
                        m.expansion += c - x;
                    } else {
                        m.contraction += x - c;
                    }
                }
            }
            if i > 0 {
                m.mrr_start -= x;
                m.customers_start -= i64::from(x > Cents::ZERO);
                m.moved_in += x;
            }
            if i + 1 < n {
                m.mrr_end -= y;
                m.customers_end -= i64::from(y > Cents::ZERO);
                m.moved_out += y;
            }
            out.entry(plan.unwrap_or(NO_PLAN).to_string()).or_default().merge(&m);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::time::DAY;

    /// Pro at $49 from day 0; on day 40 (inside the month [30, 60)) an upgrade
    /// to team at $99 the same day; a second customer stays on pro at $49.
    fn upgrade() -> (MrrHistory, MrrHistory) {
        let up = MrrHistory {
            changes: vec![(0, Cents(4900)), (40 * DAY, Cents(9900))],
            plans: vec![(0, Some("pro".into())), (40 * DAY, Some("team".into()))],
            signed_up_at: Some(0),
            ..MrrHistory::default()
        };
        let stay = MrrHistory {
            changes: vec![(0, Cents(4900))],
            plans: vec![(0, Some("pro".into()))],
            signed_up_at: Some(0),
            ..MrrHistory::default()
        };
        (up, stay)
    }

    #[test]
    fn an_upgrade_moves_its_mrr_from_pro_to_team_and_the_plans_add_up() {
        let (up, stay) = upgrade();
        let by = movements_by_plan([(&up, None), (&stay, None)], 30 * DAY, 60 * DAY);
        let (pro, team) = (by["pro"], by["team"]);
        assert_eq!((pro.mrr_start, pro.moved_out, pro.mrr_end), (Cents(9800), Cents(4900), Cents(4900)));
        assert_eq!(
            (team.mrr_start, team.moved_in, team.expansion, team.mrr_end),
            (Cents(0), Cents(4900), Cents(5000), Cents(9900))
        );
        assert_eq!((pro.customers_start, pro.customers_end, team.customers_end), (2, 1, 1));
        for m in [pro, team] {
            let sum =
                m.mrr_start + m.new + m.expansion - m.contraction - m.churned + m.reactivation + m.moved_in
                    - m.moved_out;
            assert_eq!(sum, m.mrr_end, "{m:?}");
        }
        // The plans add up to the whole.
        let all = super::super::movements([&up, &stay], 30 * DAY, 60 * DAY);
        assert_eq!(pro.mrr_end + team.mrr_end, all.mrr_end);
        assert_eq!(pro.expansion + team.expansion, all.expansion);
        // Today's plan for the whole month would credit team with 9800 at the start: not so.
        assert!(!by.contains_key(NO_PLAN));
    }

    #[test]
    fn without_plan_history_the_current_plan_counts_throughout() {
        let h =
            MrrHistory { changes: vec![(0, Cents(1000))], signed_up_at: Some(0), ..MrrHistory::default() };
        let by = movements_by_plan([(&h, Some("basic"))], 30 * DAY, 60 * DAY);
        assert_eq!(by["basic"].mrr_end, Cents(1000));
        let by = movements_by_plan([(&h, None)], 30 * DAY, 60 * DAY);
        assert_eq!(by[NO_PLAN].mrr_end, Cents(1000));
    }
}
