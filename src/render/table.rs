//! Tables for the terminal (comfy-table) and their header labels: the one
//! place where a table is fitted to the terminal's width.
//!
//! Every column has a [`Role`]. Only free text wraps, at word boundaries; ids,
//! dates, numbers with their unit, money and bands are never split. When the
//! table cannot fit even so, columns are dropped in the table's drop order and
//! a last line names them.

use std::io::IsTerminal;

use comfy_table::{presets, Cell as TCell, ColumnConstraint, ContentArrangement, Table, Width};

use super::Tone;

/// What a column holds, which decides whether it may wrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Id,
    Number,
    Date,
    Money,
    /// A word from a small set: a band, a status, a kind.
    Band,
    /// Free text: names, subjects, why, action. The only role that wraps.
    Text,
}

/// The longest word of free text that is kept whole when its column is narrowed.
const LONGEST_KEPT_WORD: usize = 24;

/// A table to draw: header labels, each column's role, the cells (text and
/// colour) and the columns to drop first (indices) when it cannot fit.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub head: Vec<String>,
    pub roles: Vec<Role>,
    pub rows: Vec<Vec<(String, Tone)>>,
    pub drop: Vec<usize>,
}

/// The width tables are fitted to: `COLUMNS` when set, else the terminal's
/// when stdout is one; `None` when piped (rows are never wrapped then).
fn target_width() -> Option<u16> {
    let columns =
        std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()).filter(|w| *w >= 20);
    columns.or_else(|| {
        let t = Table::new();
        if std::io::stdout().is_terminal() {
            t.width()
        } else {
            None
        }
    })
}

/// A comfy-table in the house style. Cells carry their own ANSI colour
/// (`Tone::paint`), which comfy-table measures correctly (`custom_styling`).
///
/// Width: `COLUMNS` when set, else the terminal's; long cells wrap to fit
/// (comfy-table's dynamic arrangement). Piped into another program with no
/// `COLUMNS`, lines are never wrapped, so scripts read whole rows.
pub fn new_table(_color: bool) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    match target_width() {
        Some(w) => {
            t.force_no_tty();
            t.set_width(w);
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            t.force_no_tty();
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    t
}

fn width(s: &str) -> usize {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

fn longest_word(s: &str) -> usize {
    s.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0)
}

impl Grid {
    /// The narrowest each column can be: its widest cell for what never
    /// splits, its longest word (up to [`LONGEST_KEPT_WORD`]) for free text;
    /// a header wraps between its words.
    fn min_widths(&self) -> Vec<usize> {
        (0..self.head.len())
            .map(|i| {
                let head = longest_word(&self.head[i]).max(1);
                let cells = self.rows.iter().map(|r| r[i].0.as_str());
                let body = match self.roles[i] {
                    Role::Text => {
                        let widest = cells.clone().map(width).max().unwrap_or(0);
                        cells.map(longest_word).max().unwrap_or(0).min(LONGEST_KEPT_WORD).min(widest)
                    }
                    _ => cells.map(width).max().unwrap_or(0),
                };
                head.max(body)
            })
            .collect()
    }

    /// The columns to drop, in order: the declared ones, then free text
    /// (widest first, the last declared first on a tie), then the others
    /// from the last; never the first column.
    fn drop_order(&self, mins: &[usize]) -> Vec<usize> {
        let mut order: Vec<usize> = self.drop.clone();
        let mut text: Vec<usize> = (1..self.head.len()).filter(|i| self.roles[*i] == Role::Text).collect();
        text.sort_by_key(|i| (std::cmp::Reverse(mins[*i]), std::cmp::Reverse(*i)));
        order.extend(text);
        order.extend((1..self.head.len()).rev());
        let mut seen = Vec::new();
        order.retain(|i| {
            *i != 0 && *i < self.head.len() && !seen.contains(i) && {
                seen.push(*i);
                true
            }
        });
        order
    }

    /// The table, fitted to the terminal, and the line naming dropped columns.
    pub fn render(&self, color: bool) -> String {
        let mut t = new_table(color);
        let mins = self.min_widths();
        let mut shown = vec![true; self.head.len()];
        if let Some(w) = t.width() {
            // Borders: one left of every column and one at the end; padding one each side.
            let need = |shown: &[bool]| {
                1 + (0..mins.len()).filter(|i| shown[*i]).map(|i| mins[i] + 3).sum::<usize>()
            };
            for i in self.drop_order(&mins) {
                if need(&shown) <= w as usize {
                    break;
                }
                shown[i] = false;
            }
        }
        t.set_header(self.head.iter().map(TCell::new));
        for r in &self.rows {
            t.add_row(r.iter().map(|(s, tone)| TCell::new(tone.paint(s, color))));
        }
        for (i, col) in t.column_iter_mut().enumerate() {
            col.set_constraint(if !shown[i] {
                ColumnConstraint::Hidden
            } else {
                ColumnConstraint::LowerBoundary(Width::Fixed((mins[i] + 2) as u16))
            });
        }
        let mut out = format!("{t}\n");
        let hidden: Vec<String> =
            (0..shown.len()).filter(|i| !shown[*i]).map(|i| self.head[i].to_lowercase()).collect();
        if !hidden.is_empty() {
            let line = format!("hidden: {} — widen or use -f json", hidden.join(", "));
            out.push_str(&wrap(&line, t.width().map_or(usize::MAX, usize::from)));
        }
        out
    }
}

/// A sentence under a table, broken between words to the table's width
/// (unchanged when piped without `COLUMNS`).
pub fn fit_text(text: &str) -> String {
    match target_width() {
        Some(w) => text.lines().map(|l| wrap(l, w.into())).collect(),
        None => text.to_string(),
    }
}

/// `text` broken between words into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
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
