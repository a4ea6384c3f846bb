//! Tables for the terminal (comfy-table) and their header labels.

use std::io::IsTerminal;

use comfy_table::{presets, ContentArrangement, Table};

/// A comfy-table in the house style. Cells carry their own ANSI colour
/// (`Tone::paint`), which comfy-table measures correctly (`custom_styling`).
///
/// Width: `COLUMNS` when set, else the terminal's; long cells wrap to fit
/// (comfy-table's dynamic arrangement). Piped into another program with no
/// `COLUMNS`, lines are never wrapped, so scripts read whole rows.
pub fn new_table(_color: bool) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    let columns =
        std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()).filter(|w| *w >= 20);
    match columns {
        Some(w) => {
            t.force_no_tty();
            t.set_width(w);
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        None if std::io::stdout().is_terminal() => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            t.force_no_tty();
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    t
}

/// `change_7d` → `Change 7d`.
pub fn header_label(col: &str) -> String {
    let words: Vec<String> = col
        .split('_')
        .map(|w| match w {
            "mrr" | "nps" | "csat" | "d1" | "auc" | "nrr" | "grr" => w.to_uppercase(),
            w => w.to_string(),
        })
        .collect();
    let s = words.join(" ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}
