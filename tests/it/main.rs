//! One integration-test binary: every test runs the real `csf` against a
//! temporary database with a fixed `--now`.

mod common;

mod architecture;
mod backfill;
mod backtest;
mod book;
mod churn;
mod cli;
mod config;
mod customer;
mod demo;
mod evidence;
mod formats;
mod health;
mod hostile;
mod import;
mod mrr_edits;
mod onboarding;
mod one_history;
mod ownership;
mod pg_cluster;
mod postgres;
mod presets;
mod prompt;
mod refusals;
mod refusals_store;
mod reimport;
mod reliability;
mod reliability3;
mod reports;
mod revenue;
mod skips;
mod storage;
mod stray_file;
mod stripe;
mod stripe_bench;
mod stripe_server;
mod tickets;
mod today;
mod trends;
mod tune;
mod upgrade;
mod width;
