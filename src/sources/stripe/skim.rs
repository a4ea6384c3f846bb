//! A strict, quick JSON reader for the one big list (invoices: ~3.5 KB
//! each, of which csf keeps a dozen fields). It walks a page checked as
//! UTF-8, skips what it does not keep in tight loops and borrows the
//! strings it keeps. It is sure or it says nothing: every answer is `None`
//! where serde_json might answer differently (an escape in a key or a kept
//! string, a surrogate escape, a number that is not a plain integer where
//! one is kept, a key given twice, nesting deeper than serde_json's limit),
//! and the caller then parses the page with serde_json, which decides.
//! What it skips it still checks as JSON, so a broken body never passes.

/// serde_json's recursion limit: anything deeper is left to serde_json.
const DEPTH: usize = 128;

/// Bytes that end a run of plain string bytes: `"`, `\` and the control
/// characters JSON forbids in a string.
static STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

pub struct Skim<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    depth: usize,
}

impl<'a> Skim<'a> {
    pub fn new(text: &'a str) -> Self {
        Skim { text, b: text.as_bytes(), i: 0, depth: 0 }
    }

    /// Only whitespace is left.
    pub fn end(mut self) -> Option<()> {
        self.ws();
        (self.i == self.b.len()).then_some(())
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    #[inline]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// The end of the plain bytes of a string from `i` (at a stop byte):
    /// eight bytes at a time, each word tested for a stop byte at once.
    #[inline]
    fn plain_end(&self, mut i: usize) -> Option<usize> {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let b = self.b;
        while let Some(word) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(word.try_into().ok()?);
            // A byte's high bit is set where it is zero after the XOR (a
            // quote, a backslash) or below 0x20; only the lowest is sure,
            // and only the lowest is used.
            let (q, s) = (x ^ (ONES * 0x22), x ^ (ONES * 0x5c));
            let stop = ((q.wrapping_sub(ONES) & !q)
                | (s.wrapping_sub(ONES) & !s)
                | (x.wrapping_sub(ONES * 0x20) & !x))
                & HIGH;
            if stop != 0 {
                return Some(i + (stop.trailing_zeros() / 8) as usize);
            }
            i += 8;
        }
        while !STOP[*b.get(i)? as usize] {
            i += 1;
        }
        Some(i)
    }

    /// A string without escapes, borrowed from the page.
    pub fn str(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.i;
        let end = self.plain_end(start)?;
        (self.b[end] == b'"').then_some(())?;
        self.i = end + 1;
        Some(&self.text[start..end])
    }

    /// `null` as None, else a string without escapes.
    pub fn opt_str(&mut self) -> Option<Option<&'a str>> {
        self.opt(Self::str)
    }

    /// `null` as None, else what `f` reads.
    pub fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(None);
        }
        f(self).map(Some)
    }

    /// An integer that fits an i64, written without fraction or exponent.
    pub fn int(&mut self) -> Option<i64> {
        let neg = self.peek()? == b'-';
        self.i += neg as usize;
        let start = self.i;
        let mut v: i64 = 0;
        while let Some(&c @ b'0'..=b'9') = self.b.get(self.i) {
            let d = i64::from(c - b'0');
            v = v.checked_mul(10)?.checked_add(if neg { -d } else { d })?;
            self.i += 1;
        }
        let n = self.i - start;
        let leading_zero = n > 1 && self.b[start] == b'0';
        let more = matches!(self.b.get(self.i), Some(b'.' | b'e' | b'E'));
        (n > 0 && !leading_zero && !more).then_some(v)
    }

    pub fn bool(&mut self) -> Option<bool> {
        match self.peek()? {
            b't' => self.literal(b"true").map(|()| true),
            _ => self.literal(b"false").map(|()| false),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.b[self.i..].starts_with(word).then(|| self.i += word.len())
    }

    /// The members of an object: `f` gets each key (without escapes) and
    /// reads or skips its value.
    pub fn object(&mut self, mut f: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.items(b'{', b'}', |s| {
            let key = s.str()?;
            s.eat(b':')?;
            f(s, key)
        })
    }

    /// The elements of an array, each read by `f`.
    pub fn array(&mut self, f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.items(b'[', b']', f)
    }

    /// `open`, items read by `f` and separated by commas, `close`.
    fn items(&mut self, open: u8, close: u8, mut f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(open)?;
        self.depth += 1;
        (self.depth <= DEPTH).then_some(())?;
        if self.peek()? == close {
            self.i += 1;
        } else {
            loop {
                f(self)?;
                match self.peek()? {
                    b',' => self.i += 1,
                    c if c == close => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// Skips one value, checking it is JSON.
    pub fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_str(),
            b'{' => self.object(|s, _| s.skip()),
            b'[' => self.array(Self::skip),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.skip_number(),
            _ => None,
        }
    }

    /// Skips a string, its escapes checked (a surrogate escape is left to
    /// serde_json, whose rules for lone halves are its own).
    fn skip_str(&mut self) -> Option<()> {
        self.i += 1;
        loop {
            let at = self.plain_end(self.i)?;
            match self.b[at] {
                b'"' => {
                    self.i = at + 1;
                    return Some(());
                }
                b'\\' => match *self.b.get(at + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i = at + 2,
                    b'u' => {
                        let hex = self.text.get(at + 2..at + 6)?;
                        let code = u16::from_str_radix(hex, 16).ok()?;
                        let plain_hex = hex.bytes().all(|c| c.is_ascii_hexdigit());
                        (plain_hex && !(0xD800..=0xDFFF).contains(&code)).then_some(())?;
                        self.i = at + 6;
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
    }

    /// Skips a number written as JSON writes one.
    fn skip_number(&mut self) -> Option<()> {
        let b = self.b;
        let mut i = self.i + usize::from(b[self.i] == b'-');
        let digits = |mut i: usize| {
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            (i > start).then_some(i)
        };
        let first = *b.get(i)?;
        i = if first == b'0' { i + 1 } else { digits(i)? };
        if b.get(i) == Some(&b'.') {
            i = digits(i + 1)?;
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            i = digits(i)?;
        }
        self.i = i;
        Some(())
    }
}

/// A key read once: a second one is left to serde_json (which refuses it).
#[inline]
pub fn once(seen: &mut u32, bit: u32) -> Option<()> {
    let first = *seen & bit == 0;
    *seen |= bit;
    first.then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the skim and serde_json agree that `text` is one JSON value.
    fn both(text: &str) -> (bool, bool) {
        let mut s = Skim::new(text);
        let skim = s.skip().is_some() && s.end().is_some();
        let serde = serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
        (skim, serde)
    }

    #[test]
    fn what_it_skips_is_checked_as_json() {
        for ok in [
            r#"{"a": [1, -2.5e+3, 0, true, false, null, "x\n\u00e9\"", {}, []], "b": {"c": "d"}}"#,
            "  {}  ",
            r#""\/\\\b\f\r\t""#,
            "-0.0E-0",
        ] {
            assert_eq!(both(ok), (true, true), "{ok}");
        }
        for bad in [
            r#"{"a": tru}"#,
            r#"{"a": 1,}"#,
            r#"{"a" 1}"#,
            "[1 2]",
            "[01]",
            "1.",
            "-",
            r#""\x""#,
            r#""\u12G4""#,
            "\"a\u{1}b\"",
            r#"{"a": "b"#,
            "[",
            "{} x",
            r#"{"a": +1}"#,
        ] {
            assert_eq!(both(bad), (false, false), "{bad}");
        }
    }

    #[test]
    fn a_surrogate_escape_or_deep_nesting_is_left_to_serde_json() {
        assert_eq!(both(r#""\ud83d\ude00""#), (false, true));
        let deep = format!("{}{}", "[".repeat(DEPTH + 1), "]".repeat(DEPTH + 1));
        assert!(!both(&deep).0);
        let fine = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
        assert_eq!(both(&fine), (true, true));
    }

    #[test]
    fn a_string_ends_at_its_first_quote_backslash_or_control_character_at_any_offset() {
        for len in 0..40 {
            for stop in ["\"", "\\", "\u{1}", "\u{1f}", "\n"] {
                let body = format!("{}é{stop}xx\"", "a".repeat(len));
                let s = Skim::new(&body);
                let want = body.find(stop).unwrap();
                assert_eq!(s.plain_end(0), Some(want), "{len} {stop:?}");
            }
            // No stop byte before the end: the string is cut short.
            let open = format!("{}é\u{7f}\u{80}", "b".repeat(len));
            assert_eq!(Skim::new(&open).plain_end(0), None, "{len}");
        }
    }

    #[test]
    fn integers_are_read_only_when_serde_json_reads_the_same_i64() {
        let int = |t: &str| Skim::new(t).int();
        assert_eq!(int("4900"), Some(4900));
        assert_eq!(int("-0"), Some(0));
        assert_eq!(int("-9223372036854775808"), Some(i64::MIN));
        for unsure in ["9223372036854775808", "1.0", "1e3", "01", "-", "x"] {
            assert_eq!(int(unsure), None, "{unsure}");
        }
    }

    #[test]
    fn kept_strings_are_borrowed_and_escapes_are_left_to_serde_json() {
        assert_eq!(Skim::new(r#" "in_1" "#).str(), Some("in_1"));
        assert_eq!(Skim::new(r#""a\"b""#).str(), None);
        assert_eq!(Skim::new("null").opt_str(), Some(None));
        let mut seen = 0;
        assert_eq!(once(&mut seen, 1), Some(()));
        assert_eq!(once(&mut seen, 2), Some(()));
        assert_eq!(once(&mut seen, 1), None);
    }
}
