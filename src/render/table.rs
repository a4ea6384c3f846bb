//! Tables for the terminal (comfy-table) and their header labels: the one
//! place where a table is fitted to the terminal's width.
//!
//! Every column has a [`Role`]. Only free text wraps, at word boundaries; ids,
//! dates, numbers with their unit, money and bands are never split. When the
//! table cannot fit even so, columns are dropped and a last line names them:
//! first those zero or empty in every row, then the table's declared drop
//! order; the first column and the ones the table ranks or groups by (`keep`)
//! never. Sentences around a table wrap between words to the same width.

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
/// colour), the columns to drop first (indices) when it cannot fit, the ones
/// never dropped, and the ones zero or empty in every row (dropped before any other).
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub head: Vec<String>,
    pub roles: Vec<Role>,
    pub rows: Vec<Vec<(String, Tone)>>,
    pub drop: Vec<usize>,
    pub keep: Vec<usize>,
    pub blank: Vec<usize>,
}

/// The width tables are fitted to: `COLUMNS` when set, else the terminal's
/// when stdout is one; `None` when piped (rows are never wrapped then).
fn target_width() -> Option<u16> {
    width_for(std::io::stdout().is_terminal())
}

/// `COLUMNS` when set, else the terminal's width when the stream is one.
fn width_for(terminal: bool) -> Option<u16> {
    let columns =
        std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()).filter(|w| *w >= 20);
    columns.or_else(|| if terminal { Table::new().width() } else { None })
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

    /// The columns to drop, in order: those zero or empty in every row, the
    /// declared ones, then free text (widest first, the last declared first
    /// on a tie), then the others from the last; never the first column nor
    /// a kept one.
    fn drop_order(&self, mins: &[usize]) -> Vec<usize> {
        let mut order: Vec<usize> = if self.rows.is_empty() { Vec::new() } else { self.blank.clone() };
        order.extend(&self.drop);
        let mut text: Vec<usize> = (1..self.head.len()).filter(|i| self.roles[*i] == Role::Text).collect();
        text.sort_by_key(|i| (std::cmp::Reverse(mins[*i]), std::cmp::Reverse(*i)));
        order.extend(text);
        order.extend((1..self.head.len()).rev());
        let mut seen = Vec::new();
        order.retain(|i| {
            *i != 0 && *i < self.head.len() && !self.keep.contains(i) && !seen.contains(i) && {
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
            out.push('\n');
        }
        out
    }
}

/// Sentences around a table (stdout), each line broken between words to the
/// table's width and ended with a newline (unchanged when piped without
/// `COLUMNS`). Table lines (from a box border on) are left as drawn.
pub fn fit_text(text: &str) -> String {
    match target_width() {
        Some(w) => text.lines().map(|l| fit_line(l, w.into()) + "\n").collect(),
        None => text.to_string(),
    }
}

/// A hint or summary for stderr, broken between words to `COLUMNS`, else
/// to stderr's terminal (unchanged when stderr is not one).
pub fn fit_hint(text: &str) -> String {
    match width_for(std::io::stderr().is_terminal()) {
        Some(w) => text.split('\n').map(|l| fit_line(l, w.into())).collect::<Vec<_>>().join("\n"),
        None => text.to_string(),
    }
}

fn fit_line(line: &str, width: usize) -> String {
    if line.starts_with(['┌', '│', '╞', '├', '└']) {
        line.to_string()
    } else {
        wrap(line, width)
    }
}

/// `text` broken between words into lines of at most `width` characters
/// (joined by newlines, none at the end). A line that fits is unchanged; a
/// word longer than `width` stays whole on a line of its own; continuation
/// lines keep the first line's indent.
pub(super) fn wrap(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let body = text.trim_start_matches(' ');
    let indent = &text[..text.len() - body.len()];
    let mut out = String::new();
    let mut line = indent.to_string();
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        let used = line.chars().count();
        if used > indent.len() && used + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = indent.to_string();
        }
        if line.len() > indent.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_and_never_inside_one() {
        let s =
            "Next: `csf health backtest --missed` lists the leavers it missed; `csf health tune` searches";
        for width in [20, 33, 80] {
            let w = wrap(s, width);
            assert!(w.lines().all(|l| l.chars().count() <= width), "{width}:\n{w}");
            assert_eq!(w.split_whitespace().collect::<Vec<_>>(), s.split_whitespace().collect::<Vec<_>>());
            assert!(w.lines().all(|l| !l.starts_with(' ') && !l.ends_with(' ')), "{w}");
        }
        // A word longer than the width stays whole on its own line.
        assert_eq!(
            wrap("a https://example.com/a/very/long/path b", 10),
            "a\nhttps://example.com/a/very/long/path\nb"
        );
        // A line that fits is unchanged, indent and all; a long one keeps its indent.
        assert_eq!(wrap("  c00019 at  2026-01-01", 80), "  c00019 at  2026-01-01");
        assert_eq!(wrap("  one two three", 10), "  one two\n  three");
    }

    #[test]
    fn fit_line_leaves_table_lines_as_drawn() {
        let row = "│ 2026-01 ┆ $795.00 ┆ $199.00 │";
        assert_eq!(fit_line(row, 10), row);
        assert_eq!(fit_line("hidden: a, b", 9), "hidden:\na, b");
    }

    fn grid(head: &[&str]) -> Grid {
        Grid {
            head: head.iter().map(|h| h.to_string()).collect(),
            roles: vec![Role::Number; head.len()],
            rows: vec![head.iter().map(|_| ("1".to_string(), Tone::Plain)).collect()],
            ..Grid::default()
        }
    }

    #[test]
    fn blank_columns_go_first_then_the_declared_order_and_kept_ones_never() {
        let mut g = grid(&["Month", "Plan", "New", "Expansion", "MRR end", "NRR", "Customers end"]);
        g.drop = vec![6, 2];
        g.keep = vec![1, 4, 5];
        g.blank = vec![3];
        let order = g.drop_order(&[7; 7]);
        assert_eq!(order, vec![3, 6, 2]);
        // Without declarations: from the last, never the first column.
        let g = grid(&["Month", "A", "B"]);
        assert_eq!(g.drop_order(&[7; 3]), vec![2, 1]);
    }
}
