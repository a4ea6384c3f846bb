//! Tables for the terminal (comfy-table) and their header labels.

use comfy_table::{presets, ContentArrangement, Table};

/// A comfy-table in the house style. Cells carry their own ANSI colour
/// (`Tone::paint`), which comfy-table measures correctly (`custom_styling`).
pub fn new_table(_color: bool) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.force_no_tty();
    t
}

/// `change_7d` → `Change 7d`.
pub fn header_label(col: &str) -> String {
    let words: Vec<String> = col
        .split('_')
        .map(|w| match w {
            "mrr" | "nps" | "csat" | "d1" => w.to_uppercase(),
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
