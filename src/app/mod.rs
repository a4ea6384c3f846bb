//! Use cases: what csf knows, as plain data. Each function takes a
//! connection, the settings and `now` (and its options) and returns rows or
//! figures — never text, never clap. Commands, the demo, the plan and
//! `today` call these; a use case may call another use case, the domain and
//! the store (docs/architecture.md).

pub mod backfill;
pub mod backtest;
pub mod churn;
pub mod customers;
pub mod drafts;
#[cfg(test)]
mod equal_paths;
pub mod evidence;
pub mod health;
pub mod metrics;
pub mod onboarding;
pub mod outreach;
pub mod plan;
pub mod readers;
pub mod revenue;
pub mod sequences;
pub mod templates;
pub mod tickets;
pub mod today;
pub mod trends;
