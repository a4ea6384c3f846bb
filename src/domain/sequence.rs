//! Outreach sequences (win-back §6.3, onboarding §8.1): which step is due
//! on a given day — one rule for both.

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
    /// The sequence's start, YYYY-MM-DD.
    pub started_on: String,
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

impl Sequence {
    /// The due step `day` days after the start: the latest step whose day has
    /// been reached, unless it is marked done; none before the first step and
    /// from `ends_on_day` on.
    pub fn due(&self, day: i64, done: &[i64]) -> Option<Step> {
        if day < 0 || day >= self.ends_on_day {
            return None;
        }
        let step = self.steps.iter().rev().find(|s| s.day <= day)?;
        (!done.contains(&step.day)).then_some(*step)
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
        let got: Vec<Option<i64>> = [0, 1, 6, 7, 59, 60, 89, 90].iter().map(|&d| due(&WINBACK, d)).collect();
        assert_eq!(got, [None, Some(1), Some(1), Some(7), Some(30), Some(60), Some(60), None]);
    }

    #[test]
    fn onboarding_due_steps() {
        let got: Vec<Option<i64>> = [-1, 0, 2, 3, 21, 27, 28].iter().map(|&d| due(&ONBOARDING, d)).collect();
        assert_eq!(got, [None, Some(0), Some(1), Some(3), Some(21), Some(21), None]);
    }

    #[test]
    fn a_done_step_is_not_due_and_does_not_bring_back_an_earlier_one() {
        assert_eq!(WINBACK.due(8, &[7]), None);
        assert_eq!(WINBACK.due(14, &[7]).map(|s| s.name), Some("Personal"));
    }
}
