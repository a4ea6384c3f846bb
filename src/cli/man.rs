//! `csf man`: one page, csf(1), from the clap tree (NAME, SYNOPSIS,
//! DESCRIPTION, OPTIONS) with the sections clap does not know: every command
//! (there are no per-command pages), ENVIRONMENT, FILES, EXIT STATUS and EXAMPLES.

use std::fmt::Write as _;

/// Text as roff: backslashes and hyphens escaped, no line starting a request.
fn esc(s: &str) -> String {
    let s = s.replace('\\', "\\\\").replace('-', "\\-");
    s.lines()
        .map(|l| if l.starts_with('.') || l.starts_with('\'') { format!("\\&{l}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `.TP` entries: every command path with its one-line description.
fn commands(o: &mut String, cmd: &clap::Command, path: &str) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let name = format!("{path} {}", sub.get_name());
        if sub.has_subcommands() {
            commands(o, sub, &name);
            continue;
        }
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        let _ = write!(o, ".TP\n\\fB{}\\fR\n{}\n", esc(&name), esc(&about));
    }
}

fn section(o: &mut String, title: &str, entries: &[(&str, &str)]) {
    let _ = writeln!(o, ".SH {title}");
    for (term, text) in entries {
        let _ = write!(o, ".TP\n\\fB{}\\fR\n{}\n", esc(term), esc(text));
    }
}

const ENVIRONMENT: &[(&str, &str)] = &[
    ("CSF_DB", "The database file, as --db (the flag wins)."),
    ("CSF_NOW", "The clock, as --now: every \"as of\" computation uses it."),
    ("NO_COLOR", "When set, tables are not coloured (--color auto)."),
    ("CLICOLOR_FORCE", "When set (not 0), tables are coloured even when stdout is not a terminal (--color auto)."),
    ("COLUMNS", "The width tables fit; without it, the terminal's. Piped output is not wrapped unless COLUMNS is set."),
];

const FILES: &[(&str, &str)] = &[
    (
        "~/.local/share/csf/csf.db",
        "The database on Linux (<data dir>/csf/csf.db elsewhere): one SQLite file, mode 0600. --db or CSF_DB chooses another.",
    ),
    (
        "~/.config/csf/templates/NAME.txt",
        "A message template read from a file (<config dir>/csf/templates elsewhere); `csf template set` stores one in the database instead.",
    ),
];

const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success."),
    ("1", "An error: bad input, not found, a database problem. The message on stderr says what and how to fix it."),
    ("2", "A usage error: the command line could not be parsed."),
    ("3", "An alert asked for with --fail-on (health score, churn risks, today)."),
];

const EXAMPLES: &[(&str, &str)] = &[
    ("csf demo", "See what csf does on example data, in a temporary folder."),
    ("csf init && csf import customers customers.csv", "Create the database and import customers."),
    ("csf today", "The morning's actions, most at stake first, with drafts."),
    (
        "csf -q health score --fail-on critical",
        "Nightly from cron: score everyone, exit 3 when anyone is critical.",
    ),
    ("csf health alerts --status critical -f json", "Critical customers for a script."),
    ("csf report plan > plan.md", "The Customer Success Plan in markdown."),
    ("csf man > ~/.local/share/man/man1/csf.1", "Install this page."),
];

/// The whole page as roff.
pub fn page(cmd: clap::Command) -> std::io::Result<String> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    let mut o = String::from_utf8_lossy(&buf).into_owned();
    o.push_str(".SH COMMANDS\nEach command's own options and examples: \\fBcsf COMMAND \\-\\-help\\fR.\n");
    commands(&mut o, &cmd, "csf");
    let mut buf = Vec::new();
    man.render_options_section(&mut buf)?;
    o.push_str(&String::from_utf8_lossy(&buf));
    section(&mut o, "ENVIRONMENT", ENVIRONMENT);
    section(&mut o, "FILES", FILES);
    section(&mut o, "EXIT STATUS", EXIT_STATUS);
    section(&mut o, "EXAMPLES", EXAMPLES);
    let mut buf = Vec::new();
    man.render_version_section(&mut buf)?;
    o.push_str(&String::from_utf8_lossy(&buf));
    Ok(o)
}
