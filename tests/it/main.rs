//! One integration-test binary: every test runs the real `csf` against a
//! temporary database with a fixed `--now`.

mod common;

mod architecture;
mod backfill;
mod backtest;
mod book;
mod calendar_limits;
mod churn;
mod cli;
mod config;
mod customer;
mod demo;
mod drafts;
mod encodings;
mod evidence;
mod formats;
mod health;
mod hostile;
mod id_case;
mod import;
mod onboarding;
mod ownership;
mod pg_cluster;
mod postgres;
mod presets;
mod prompt;
mod refusals;
mod refusals_store;
mod reliability;
mod reliability3;
mod reports;
mod revenue;
mod settings_bounds;
mod skips;
mod storage;
mod storage_faults;
mod stripe;
mod stripe_bench;
mod stripe_server;
mod tickets;
mod today;
mod trends;
mod tune;
mod upgrade;
mod width;
