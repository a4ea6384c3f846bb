//! The status of a figure against its target (docs/reports.md), shared by reports,
//! the onboarding funnel and churn rate.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Green,
    Yellow,
    Red,
    NoData,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Green => "green",
            Status::Yellow => "yellow",
            Status::Red => "red",
            Status::NoData => "n/a",
        }
    }
}

/// Strict, as the framework writes its targets: "< 4 hours" is met by 3.99
/// and missed by 4.00, "> 90%" is missed by exactly 90%. Missed by at most
/// 25% of the target's magnitude → yellow; else red; no value → n/a. The
/// value is judged as measured, never as rounded for display.
pub fn status(value: Option<f64>, target: f64, higher_is_better: bool) -> Status {
    let Some(v) = value else { return Status::NoData };
    let met = if higher_is_better { v > target } else { v < target };
    let miss = if higher_is_better { target - v } else { v - target };
    // The tolerance only absorbs float noise in the 25% bound (90 × 0.75).
    if met {
        Status::Green
    } else if miss <= 0.25 * target.abs() + 1e-9 {
        Status::Yellow
    } else {
        Status::Red
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_is_better_is_strict() {
        // first response target 4 h
        assert_eq!(status(Some(3.99), 4.0, false), Status::Green);
        assert_eq!(status(Some(4.0), 4.0, false), Status::Yellow);
        assert_eq!(status(Some(3.2), 4.0, false), Status::Green);
        assert_eq!(status(Some(5.0), 4.0, false), Status::Yellow);
        assert_eq!(status(Some(5.01), 4.0, false), Status::Red);
        assert_eq!(status(None, 4.0, false), Status::NoData);
    }

    #[test]
    fn higher_is_better_is_strict() {
        // CSAT target 90 %: 67.5 is 25 % of 90 away
        assert_eq!(status(Some(90.0), 90.0, true), Status::Yellow);
        assert_eq!(status(Some(90.01), 90.0, true), Status::Green);
        assert_eq!(status(Some(67.5), 90.0, true), Status::Yellow);
        assert_eq!(status(Some(67.4), 90.0, true), Status::Red);
        // NPS target 40: exactly 40 misses; down to 30 is yellow
        assert_eq!(status(Some(40.0), 40.0, true), Status::Yellow);
        assert_eq!(status(Some(30.0), 40.0, true), Status::Yellow);
        assert_eq!(status(Some(29.9), 40.0, true), Status::Red);
    }
}
