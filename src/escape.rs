//! Text from data made safe for a terminal: control characters and bidi
//! overrides are shown as escapes, so a customer name can neither clear the
//! screen, set the window title, ring the bell nor reorder what is shown.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is shown escaped: C0 controls except the newline (ESC, BEL,
/// BS, CR, TAB, NUL, …), DEL, C1 controls (U+0080–U+009F), and the bidi
/// controls U+061C, U+200E, U+200F, U+202A–U+202E and U+2066–U+2069.
fn hidden(c: char) -> bool {
    matches!(c,
        '\0'..='\u{9}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` as tables, markdown and messages show it: a control character below
/// U+0080 becomes `\xNN` (ESC → `\x1b`, CR → `\x0d`), any other hidden one
/// `\u{NNNN}` (U+202E → `\u{202e}`, U+009B → `\u{9b}`). Newlines are kept.
/// Text without them is returned as it is, without copying.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !hidden(c) {
            o.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(o, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(o, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(o)
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn controls_and_bidi_overrides_are_escaped_and_the_rest_kept() {
        assert_eq!(visible("\x1b]0;pwned\x07Evil\x1b[2J"), "\\x1b]0;pwned\\x07Evil\\x1b[2J");
        assert_eq!(
            visible("a\u{202e}b\u{2066}\u{9b}\r\0\x7f\x08\t"),
            "a\\u{202e}b\\u{2066}\\u{9b}\\x0d\\x00\\x7f\\x08\\x09"
        );
        assert_eq!(visible("Zoë — 北京\nline 2 \\x"), "Zoë — 北京\nline 2 \\x");
        assert!(matches!(visible("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
