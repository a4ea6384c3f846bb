//! What every command gets: where the database is, `now`, output format,
//! colour, and whether to talk on stderr.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use rusqlite::Connection;

use crate::app::sequences::{self, Steps};
use crate::cli::{ColorWhen, Global};
use crate::domain::sequence::Sequence;
use crate::domain::settings::Settings;
use crate::render::{self, sequences as rs, Cell, Format, Rows};
use crate::{store, time};

/// The rows of one table page: a list longer than this prints in pages.
pub const TABLE_PAGE: usize = 1000;

#[derive(Debug, Clone)]
pub struct Ctx {
    pub db_path: PathBuf,
    /// The clock, Unix seconds ([`Ctx::now`]).
    now: std::cell::Cell<i64>,
    /// `--now` was a bare date: its 23:59:59 is read again in the zone once
    /// the database says which zone.
    now_date: Option<String>,
    pub format: Option<Format>,
    /// Colour on stdout.
    pub color: bool,
    pub quiet: bool,
    /// stderr is a terminal: progress bars may be drawn.
    pub stderr_tty: bool,
    /// stdout is a terminal: text meant for a pipe (a reply for `pbcopy`) is
    /// shown escaped when a person reads it.
    pub stdout_tty: bool,
}

impl Ctx {
    pub fn from_global(g: &Global) -> Result<Ctx> {
        let now = match &g.now {
            Some(s) => time::parse_now(s).map_err(|e| anyhow::anyhow!("--now / CSF_NOW: \"{s}\" {e}"))?,
            None => chrono::Utc::now().timestamp(),
        };
        let db_path = match &g.db {
            Some(p) => p.clone(),
            None => dirs::data_dir()
                .context("no data folder is known for this user; pass --db PATH or set CSF_DB")?
                .join("csf")
                .join("csf.db"),
        };
        Ok(Ctx {
            db_path,
            now: std::cell::Cell::new(now),
            now_date: g.now.clone().filter(|s| time::is_bare_date(s)),
            format: g.format.map(Format::from),
            color: color_on(g.color),
            quiet: g.quiet,
            stderr_tty: std::io::stderr().is_terminal(),
            stdout_tty: std::io::stdout().is_terminal(),
        })
    }

    /// Opens the existing database; a missing file is refused (README.md), so a
    /// mistyped `--db` never passes silently.
    pub fn open(&self) -> Result<Connection> {
        if !self.db_path.exists() {
            anyhow::bail!("no database at {}; run `csf init` or check --db/CSF_DB", self.db_path.display());
        }
        self.opened(store::open(&self.db_path)?)
    }

    /// Opens the database, creating it (mode 0600) if missing: only for
    /// `init`, `import`, `customer add` and `ticket open`.
    pub fn open_or_create(&self) -> Result<Connection> {
        self.opened(store::open(&self.db_path)?)
    }

    /// Removes the database file (and SQLite's companions) that this run
    /// created, after the command failed; every connection is closed by then.
    pub fn discard_created_database(&self) {
        let mut paths = vec![self.db_path.clone()];
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut p = self.db_path.clone().into_os_string();
            p.push(suffix);
            paths.push(p.into());
        }
        for p in paths {
            // Best effort: the error the user sees is the command's own.
            let _ = std::fs::remove_file(p);
        }
    }

    /// What every command needs from the file once open: the currency money is shown in.
    fn opened(&self, conn: Connection) -> Result<Connection> {
        if let Some(code) = store::config::get(&conn, "currency")? {
            render::set_currency(&code);
        }
        if let Some(name) = store::config::get(&conn, "timezone")? {
            // Validated by `config set`; a zone this build does not know reads as UTC.
            if let Ok(tz) = time::parse_zone(&name) {
                time::set_zone(tz);
                if let Some(s) = &self.now_date {
                    self.now.set(
                        time::parse_now(s).map_err(|e| anyhow::anyhow!("--now / CSF_NOW: \"{s}\" {e}"))?,
                    );
                }
            }
        }
        let flagged = store::flagged_on_upgrade();
        if !flagged.is_empty() && !self.quiet {
            let db = self.db_path.display().to_string();
            eprintln!("{}", render::customer::flagged_on_upgrade(&db, &flagged));
        }
        Ok(conn)
    }

    pub fn settings(&self, conn: &Connection) -> Result<Settings> {
        Ok(Settings::from_stored(store::config::all(conn)?))
    }

    /// The same run against another database file (`csf demo`).
    pub fn with_db(&self, db_path: PathBuf) -> Ctx {
        Ctx { db_path, ..self.clone() }
    }

    /// The clock, Unix seconds: `--now`, or the system clock.
    pub fn now(&self) -> i64 {
        self.now.get()
    }

    /// Today, in the configured zone.
    pub fn today(&self) -> time::Day {
        time::Day::of(self.now())
    }

    pub fn format_or(&self, default: Format) -> Format {
        self.format.unwrap_or(default)
    }

    /// Prints rows in the chosen format (table by default). No rows is no
    /// table: the rows' sentence goes to stderr (a hint, silenced by `-q`, so
    /// a cron line mails nothing), JSON and CSV print their empty forms.
    /// JSON, CSV and markdown are written row by row (docs/performance.md).
    pub fn print_rows(&self, rows: &Rows) -> Result<()> {
        let format = self.format_or(Format::Table);
        if rows.is_empty() && matches!(format, Format::Table | Format::Markdown) {
            if let Some(s) = &rows.empty {
                self.info(s);
            }
            return Ok(());
        }
        match format {
            Format::Table => render::out(&rows.to_table(self.color)),
            format => rows.stream(format, self.color, rows.rows.iter()),
        }
    }

    /// Like [`Ctx::print_rows`], the rows made one at a time from `body`
    /// under the columns of `head`: JSON, CSV and markdown write each row as
    /// it is made, so a long list never sits in memory; a table holds them
    /// (its widths need every row).
    pub fn print_each(&self, head: Rows, body: impl Iterator<Item = Vec<Cell>>) -> Result<()> {
        let format = self.format_or(Format::Table);
        let mut body = body.peekable();
        if body.peek().is_none() {
            return self.print_rows(&head);
        }
        if format != Format::Table {
            return head.stream(format, self.color, body);
        }
        // A table sizes its columns from its rows: past one page it is
        // printed a page at a time, each sized on its own, so memory holds
        // one page (docs/performance.md).
        loop {
            let mut page = Rows { rows: Vec::new(), ..head.clone() };
            page.rows.extend(body.by_ref().take(TABLE_PAGE));
            if page.rows.is_empty() {
                return Ok(());
            }
            self.print_rows(&page)?;
        }
    }

    /// Refuses a `-f` the command has no form for, naming the forms it has
    /// (every command honours `-f` or says so, never ignores it).
    pub fn only_formats(&self, command: &str, forms: &[Format], hint: &str) -> Result<()> {
        match self.format {
            Some(f) if !forms.contains(&f) => {
                let names: Vec<&str> = forms.iter().map(|f| f.name()).collect();
                anyhow::bail!("{command} has no {} form; use -f {}{hint}", f.name(), names.join(" or -f "))
            }
            _ => Ok(()),
        }
    }

    /// Text that may go to a pipe as it is (a reply, a template): escaped
    /// like every other human output when stdout is a terminal.
    pub fn raw_or_visible<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        if self.stdout_tty {
            render::visible(s)
        } else {
            std::borrow::Cow::Borrowed(s)
        }
    }

    /// A summary or hint on stderr (not with --quiet).
    pub fn info(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", render::fit_hint(&render::visible(msg.as_ref()))); // may quote data
        }
    }

    /// Progress bars are drawn only on a terminal and never with --quiet.
    pub fn show_progress(&self) -> bool {
        self.stderr_tty && !self.quiet
    }
}

fn color_on(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            let choice = anstream::AutoStream::choice(&std::io::stdout());
            !matches!(choice, anstream::ColorChoice::Never)
        }
    }
}

/// The error a command returns for an alert asked for with `--fail-on`:
/// exit code 3, the message on stderr without `error:`.
#[derive(Debug)]
pub struct Alert(pub String);

impl std::fmt::Display for Alert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Alert {}

/// The outreach sequences' flow, shared by `csf onboarding due` and `csf churn winback`.
impl Ctx {
    /// The one `--missed` / due / `--mark-done` flow of the outreach sequences
    /// (`csf onboarding due`, `csf churn winback`): `command` is how the user
    /// asks for them again.
    pub fn sequence_due(
        &self,
        conn: &mut Connection,
        seq: &Sequence,
        steps: Steps,
        (mark_done, missed): (bool, bool),
        command: &str,
    ) -> Result<()> {
        if missed {
            if steps.missed.is_empty() {
                self.info(format!("No missed {} steps.", seq.name));
            }
            return self.print_rows(&rs::missed_rows(seq.name, &steps.missed));
        }
        let due = steps.due;
        if due.is_empty() {
            self.info(format!("Nothing due in the {} sequence today.", seq.name));
        }
        self.print_rows(&rs::due_rows(seq.name, &due))?;
        if matches!(self.format_or(Format::Table), Format::Table | Format::Markdown) {
            if let Some(line) = rs::missed_line(seq.name, steps.missed.len(), command) {
                render::out(&line)?;
            }
        }
        if mark_done && !due.is_empty() {
            sequences::mark_done(conn, seq, &due, self.now())?;
            self.info(format!("Marked {} step(s) done", due.len()));
        }
        Ok(())
    }
}
