//! One module per command group: each reads its arguments, calls the domain
//! and the store, and hands rows to render.

pub mod admin;
pub mod backtest;
pub mod churn;
pub mod config;
pub mod customer;
pub mod demo;
pub mod health;
pub mod import;
pub mod onboarding;
pub mod report;
pub mod revenue;
pub mod sync;
pub mod template;
pub mod ticket;
pub mod today;
pub mod trends;
