//! csf: parse, open the database, dispatch, turn errors into exit codes.
//! The binary is `src/main.rs`; the library exists so that the fuzz target
//! (`fuzz/`) can drive the CSV import directly.

mod app;
pub mod cli;
mod commands;
mod context;
pub mod domain;
pub mod escape;
/// The example book (public for the tests that import its files).
pub mod example;
pub mod import;
pub mod money;
pub mod render;
pub mod sources;
pub mod store;
pub mod time;

use std::process::ExitCode;

use clap::FromArgMatches;

use crate::cli::health::HealthCmd;
use crate::cli::report::ReportCmd;
use crate::cli::{Cli, Command};
use crate::context::{Alert, Ctx};

/// The whole program: what `main` runs.
pub fn main_entry() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!(
            "error: csf hit an internal bug{at}; nothing half-done was saved. Please report it \
             to the csf maintainers with the command you ran and `csf --version`"
        );
    }));
    let parsed = cli::command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = Ctx::from_global(&cli.global).and_then(|ctx| {
        let existed = ctx.db_path.exists();
        let result = run(&ctx, cli.command);
        // A command that created the database file and then failed takes it
        // away again (README: no stray file from a mistyped --db).
        if let Err(e) = &result {
            if !existed && e.downcast_ref::<Alert>().is_none() && !is_broken_pipe(e) {
                ctx.discard_created_database();
            }
        }
        result
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(a) = e.downcast_ref::<Alert>() {
                if !cli.global.quiet {
                    eprintln!("alert: {}", render::visible(&a.to_string()));
                }
                return ExitCode::from(3);
            }
            if let Some(invalid) = e.downcast_ref::<import::Invalid>() {
                eprintln!("{}", render::visible(&invalid.to_string()));
                return ExitCode::from(1);
            }
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            // Errors may quote data (a name, a cell): never a raw control character.
            eprintln!("error: {}", render::visible(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(ctx: &Ctx, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Today(args) => commands::today::today(ctx, args),
        Command::Done(args) => commands::today::done(ctx, args),
        Command::Skip(args) => commands::today::skip(ctx, args),
        Command::Draft(args) => commands::today::draft(ctx, args),
        Command::Touch(args) => commands::today::touch(ctx, args),
        Command::Template(cmd) => commands::template::run(ctx, cmd),
        Command::Demo => commands::demo::run(ctx),
        Command::Init { example } => commands::admin::init(ctx, example),
        Command::Import(args) => commands::import::run(ctx, args),
        Command::Customer(cmd) => commands::customer::run(ctx, cmd),
        Command::Health(
            cmd @ (HealthCmd::Backtest { .. } | HealthCmd::Tune { .. } | HealthCmd::Evidence { .. }),
        ) => commands::backtest::run(ctx, cmd),
        Command::Health(cmd) => commands::health::run(ctx, cmd),
        Command::Ticket(cmd) => commands::ticket::run(ctx, cmd),
        Command::Churn(cmd) => commands::churn::run(ctx, cmd),
        Command::Onboarding(cmd) => commands::onboarding::run(ctx, cmd),
        Command::Report(ReportCmd::Trends { by, periods }) => commands::trends::run(ctx, by.into(), periods),
        Command::Report(ReportCmd::Revenue { months, by }) => commands::revenue::revenue(ctx, months, by),
        Command::Report(ReportCmd::Cohorts { months, metric }) => {
            commands::revenue::cohorts(ctx, months, metric)
        }
        Command::Report(cmd) => commands::report::run(ctx, cmd),
        Command::Sync(args) => commands::sync::run(ctx, args),
        Command::Config(cmd) => commands::config::run(ctx, cmd),
        Command::Backup { path, force } => commands::admin::backup(ctx, &path, force),
        Command::Restore { backup } => commands::admin::restore(ctx, &backup),
        Command::Check => commands::admin::check(ctx),
        Command::Completions { shell } => commands::admin::completions(shell),
        Command::Man => commands::admin::man(),
    }
}
