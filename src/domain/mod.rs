//! Pure logic on plain structs and `now`: no I/O, unit-tested with hand-computed cases.

pub mod backtest;
pub mod churn;
pub mod contact;
pub mod evidence;
pub mod fold;
pub mod health;
pub mod metrics;
pub mod onboarding;
pub mod plan;
pub mod revenue;
pub mod sequence;
pub mod settings;
pub mod targets;
pub mod templates;
pub mod tickets;
pub mod today;
pub mod trends;
