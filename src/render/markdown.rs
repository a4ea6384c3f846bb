//! GitHub-flavoured markdown: escaping and tables.

/// The exit interview (docs/churn.md) as markdown: `src/templates/exit-survey.md`.
pub fn exit_survey() -> &'static str {
    include_str!("../templates/exit-survey.md")
}

/// Escapes text for a GitHub-flavoured markdown table cell or inline text:
/// `|`, backslashes and markdown punctuation are escaped, newlines become
/// `<br>`, control characters are shown as escapes ([`super::visible`]).
pub fn md_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                o.push_str("<br>");
            }
            '\n' => o.push_str("<br>"),
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' => {
                o.push('\\');
                o.push(ch);
            }
            c => o.push_str(&super::visible(c.encode_utf8(&mut [0; 4]))),
        }
    }
    o
}

/// A GFM table; every cell is escaped.
pub fn markdown_table(head: &[String], body: &[Vec<String>]) -> String {
    let mut o = markdown_head(head);
    for r in body {
        o.push_str(&markdown_row(r));
    }
    o
}

/// A GFM table's header and its separator line (the rows follow, one [`markdown_row`] each).
pub fn markdown_head(head: &[String]) -> String {
    let mut o = markdown_row(head);
    o.push('|');
    for _ in head {
        o.push_str("---|");
    }
    o.push('\n');
    o
}

/// One line of a GFM table; every cell is escaped.
pub fn markdown_row(cells: &[String]) -> String {
    let mut o = String::from("|");
    for c in cells {
        o.push_str(&format!(" {} |", md_escape(c)));
    }
    o.push('\n');
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_pipes_and_newlines() {
        assert_eq!(md_escape("a|b\nc"), "a\\|b<br>c");
        assert_eq!(md_escape("*x*"), "\\*x\\*");
        let t = markdown_table(&["Name".into()], &[vec!["A | B\r\nC".into()]]);
        assert_eq!(t, "| Name |\n|---|\n| A \\| B<br>C |\n");
    }
}
