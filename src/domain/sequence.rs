//! Outreach sequences (win-back: docs/churn.md, onboarding: docs/onboarding.md): which step is due
//! on a given day — one rule for both.

use crate::time::Day;

/// One step of a sequence: sent `day` days after the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub day: i64,
    pub name: &'static str,
    pub message: &'static str,
}

/// One customer's step due today in a sequence (win-back or onboarding).
#[derive(Debug, Clone)]
pub struct DueStep {
    pub cid: i64,
    pub id: String,
    pub name: Option<String>,
    pub step: Step,
    /// The day the sequence started.
    pub started_on: Day,
}

#[derive(Debug, Clone, Copy)]
pub struct Sequence {
    pub name: &'static str,
    pub steps: &'static [Step],
    /// The first day on which the sequence is over.
    pub ends_on_day: i64,
}

pub const WINBACK: Sequence = Sequence {
    name: "winback",
    steps: &[
        Step { day: 1, name: "Email", message: "We noticed you haven't been around..." },
        Step { day: 7, name: "Email", message: "Here's what you're missing..." },
        Step { day: 14, name: "Personal", message: "Direct message from founder" },
        Step { day: 30, name: "Offer", message: "Discount or extended trial" },
        Step { day: 60, name: "Survey", message: "Help us understand what happened" },
    ],
    ends_on_day: 90,
};

pub const ONBOARDING: Sequence = Sequence {
    name: "onboarding",
    steps: &[
        Step { day: 0, name: "Welcome", message: "Set expectations, first step" },
        Step { day: 1, name: "Quick win", message: "Show one valuable feature" },
        Step { day: 3, name: "Tips", message: "Help them go deeper" },
        Step { day: 7, name: "Check-in", message: "Ask if they need help" },
        Step { day: 14, name: "Success story", message: "Social proof, inspiration" },
        Step { day: 21, name: "Upgrade/expand", message: "Show additional value" },
    ],
    ends_on_day: 28,
};

/// Days a step stays due after its day, unless the next step comes sooner.
pub const DUE_WINDOW_DAYS: i64 = 7;

impl Sequence {
    /// The first day on which `step` is no longer due: 7 days after its
    /// day, or the next step's day if sooner, or the sequence's end.
    pub fn window_end(&self, step: &Step) -> i64 {
        let next = self.steps.iter().find(|s| s.day > step.day).map_or(self.ends_on_day, |s| s.day);
        (step.day + DUE_WINDOW_DAYS).min(next).min(self.ends_on_day)
    }

    /// The due step `day` days after the start: the latest step whose day has
    /// been reached, unless it is marked done or its due window has passed;
    /// none before the first step and from `ends_on_day` on.
    pub fn due(&self, day: i64, done: &[i64]) -> Option<Step> {
        if day < 0 || day >= self.ends_on_day {
            return None;
        }
        let step = self.steps.iter().rev().find(|s| s.day <= day)?;
        (!done.contains(&step.day) && day < self.window_end(step)).then_some(*step)
    }

    /// The steps whose window has passed `day` days after the start without
    /// being done: missed, never due again.
    pub fn missed(&self, day: i64, done: &[i64]) -> Vec<Step> {
        self.steps.iter().filter(|s| day >= self.window_end(s) && !done.contains(&s.day)).copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(seq: &Sequence, day: i64) -> Option<i64> {
        seq.due(day, &[]).map(|s| s.day)
    }

    #[test]
    fn winback_due_steps() {
        let got: Vec<Option<i64>> = [0, 1, 6, 7, 13, 14, 20, 21, 30, 36, 37, 59, 60, 66, 67, 89, 90]
            .iter()
            .map(|&d| due(&WINBACK, d))
            .collect();
        assert_eq!(
            got,
            [
                None,
                Some(1),
                Some(1),
                Some(7),
                Some(7),
                Some(14),
                Some(14),
                None,
                Some(30),
                Some(30),
                None,
                None,
                Some(60),
                Some(60),
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn onboarding_due_steps() {
        let got: Vec<Option<i64>> =
            [-1, 0, 1, 2, 3, 6, 7, 13, 14, 21, 27, 28].iter().map(|&d| due(&ONBOARDING, d)).collect();
        assert_eq!(
            got,
            [
                None,
                Some(0),
                Some(1),
                Some(1),
                Some(3),
                Some(3),
                Some(7),
                Some(7),
                Some(14),
                Some(21),
                Some(21),
                None
            ]
        );
    }

    #[test]
    fn each_window_is_seven_days_or_until_the_next_step() {
        let ends: Vec<i64> = WINBACK.steps.iter().map(|s| WINBACK.window_end(s)).collect();
        assert_eq!(ends, [7, 14, 21, 37, 67]);
        let ends: Vec<i64> = ONBOARDING.steps.iter().map(|s| ONBOARDING.window_end(s)).collect();
        assert_eq!(ends, [1, 3, 7, 14, 21, 28]);
    }

    #[test]
    fn a_step_past_its_window_is_missed_never_due() {
        // A year of history imported at once: the churn was 45 days ago.
        assert_eq!(WINBACK.due(45, &[]), None);
        let missed: Vec<i64> = WINBACK.missed(45, &[]).iter().map(|s| s.day).collect();
        assert_eq!(missed, [1, 7, 14, 30]);
        let missed: Vec<i64> = WINBACK.missed(45, &[7, 30]).iter().map(|s| s.day).collect();
        assert_eq!(missed, [1, 14]);
        assert!(WINBACK.missed(6, &[]).is_empty());
    }

    #[test]
    fn a_done_step_is_not_due_and_does_not_bring_back_an_earlier_one() {
        assert_eq!(WINBACK.due(8, &[7]), None);
        assert_eq!(WINBACK.due(14, &[7]).map(|s| s.name), Some("Personal"));
    }
}
