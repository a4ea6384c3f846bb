//! Where a list page says the next one starts, found by one quick pass over
//! its bytes (no parsing): `has_more` and the last object's `id`. The
//! paging thread asks for the next page with it while the page is parsed;
//! the parse then checks it. Anything unusual (an escape in a key or the
//! id, a body cut short) answers `None`: the next page waits for the parse.
//! The last object is found from the page's end (its objects are not
//! skipped one by one): a page whose ends mislead (an array after `data`)
//! is caught by the parse, and paging goes on from the parse.

/// `(has_more, the last object's id)` of a list page, if the quick pass is sure.
pub fn scan(body: &[u8]) -> Option<(bool, Option<String>)> {
    let mut s = Scan { b: body, i: 0 };
    s.ws();
    s.eat(b'{')?;
    let (mut more, mut last) = (None, None);
    loop {
        s.ws();
        if s.peek()? == b'}' {
            break;
        }
        let key = s.string()?;
        s.ws();
        s.eat(b':')?;
        s.ws();
        match key {
            b"has_more" => more = Some(s.boolean()?),
            b"data" => last = Some(s.last_from_end().or_else(|| s.ids())?),
            _ => s.skip()?,
        }
        s.ws();
        if s.peek()? == b',' {
            s.i += 1;
        }
    }
    Some((more.unwrap_or(false), last?))
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }

    /// A string without escapes, its bytes between the quotes.
    fn string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        let b: &'a [u8] = self.b;
        let len = b[start..].iter().position(|&c| c == b'"' || c == b'\\')?;
        self.i = start + len;
        self.eat(b'"')?;
        Some(&b[start..start + len])
    }

    fn boolean(&mut self) -> Option<bool> {
        let rest = &self.b[self.i..];
        let (v, n) = if rest.starts_with(b"true") {
            (true, 4)
        } else {
            (rest.starts_with(b"false").then_some(false)?, 5)
        };
        self.i += n;
        Some(v)
    }

    /// The `data` array: the last object's top-level `id` (None: an empty page).
    fn ids(&mut self) -> Option<Option<String>> {
        self.eat(b'[')?;
        // Objects skipped whole; only the last one's keys are read.
        let mut last = None;
        loop {
            self.ws();
            match self.peek()? {
                b']' => break,
                b',' => self.i += 1,
                _ => {
                    last = Some(self.i);
                    self.skip()?;
                }
            }
        }
        let end = self.i + 1;
        let id = match last {
            Some(at) => {
                self.i = at;
                Some(self.object_id()?)
            }
            None => None,
        };
        self.i = end;
        Some(id)
    }

    /// The `data` array's last object's `id`, found from the page's end:
    /// back over the members after the array (scalars only), then over its
    /// last object. None (nothing moved) when the end is anything else.
    fn last_from_end(&mut self) -> Option<Option<String>> {
        let (p, b) = (self.i, self.b);
        if self.peek()? != b'[' {
            return None;
        }
        let mut j = back_ws(b, b.len());
        (*b.get(j.checked_sub(1)?)? == b'}').then_some(())?;
        j -= 1;
        // Back over `, "key": scalar` members to the array's `]`.
        loop {
            j = back_ws(b, j);
            if *b.get(j.checked_sub(1)?)? == b']' {
                break;
            }
            j = back_ws(b, back_scalar(b, j)?);
            (*b.get(j.checked_sub(1)?)? == b':').then_some(())?;
            j = back_ws(b, j - 1);
            (*b.get(j.checked_sub(1)?)? == b'"').then_some(())?;
            j = back_ws(b, back_string(b, j)?);
            (*b.get(j.checked_sub(1)?)? == b',').then_some(())?;
            j -= 1;
        }
        let close = j - 1;
        let k = back_ws(b, close);
        if k == p + 1 {
            self.i = close + 1;
            return Some(None);
        }
        (k > p + 1 && b[k - 1] == b'}').then_some(())?;
        let start = back_object(b, k - 1)?;
        let before = back_ws(b, start);
        (before > p && (before == p + 1 || b[before - 1] == b',')).then_some(())?;
        self.i = start;
        let id = self.object_id();
        self.ws();
        if id.is_none() || self.i != close {
            self.i = p;
            return None;
        }
        self.i = close + 1;
        Some(id)
    }

    /// An object's top-level `id` string.
    fn object_id(&mut self) -> Option<String> {
        self.eat(b'{')?;
        let mut id = None;
        loop {
            self.ws();
            match self.peek()? {
                b'}' => {
                    self.i += 1;
                    return id;
                }
                b',' => self.i += 1,
                _ => {
                    let key = self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    self.ws();
                    if key == b"id" && self.peek()? == b'"' {
                        id = Some(String::from_utf8(self.string()?.to_vec()).ok()?);
                    } else {
                        self.skip()?;
                    }
                }
            }
        }
    }

    /// Skips one value: strings by their quotes, the rest by nesting depth
    /// (one tight loop: this pass runs before every next page).
    fn skip(&mut self) -> Option<()> {
        let b = self.b;
        let (mut i, mut depth) = (self.i, 0usize);
        while i < b.len() {
            match b[i] {
                b'"' => {
                    i = string_end(b, i + 1)?;
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth <= 1 => {
                    self.i = if depth == 1 { i + 1 } else { i };
                    return Some(());
                }
                b'}' | b']' => depth -= 1,
                b',' if depth == 0 => {
                    self.i = i;
                    return Some(());
                }
                _ => {}
            }
            i += 1;
        }
        None
    }
}

/// Where a string whose text starts at `i` ends: past its closing quote.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        // Eight bytes at a time while none is a quote or a backslash.
        while let Some(w) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(w.try_into().ok()?);
            if has(w, b'"') | has(w, b'\\') != 0 {
                break;
            }
            i += 8;
        }
        i += b.get(i..)?.iter().position(|&c| c == b'"' || c == b'\\')?;
        if b[i] == b'"' {
            return Some(i + 1);
        }
        i += 2;
    }
}

/// Where the whitespace ending just before `j` starts.
fn back_ws(b: &[u8], mut j: usize) -> usize {
    while j > 0 && matches!(b[j - 1], b' ' | b'\n' | b'\r' | b'\t') {
        j -= 1;
    }
    j
}

/// Where a string ending just before `j` (with its closing quote) starts:
/// at its opening quote, the first one back not escaped.
fn back_string(b: &[u8], j: usize) -> Option<usize> {
    let mut i = j.checked_sub(1)?;
    (b[i] == b'"').then_some(())?;
    loop {
        i = b[..i].iter().rposition(|&c| c == b'"')?;
        let slashes = b[..i].iter().rev().take_while(|&&c| c == b'\\').count();
        if slashes % 2 == 0 {
            return Some(i);
        }
    }
}

/// Where a string, number, `true`, `false` or `null` ending just before `j` starts.
fn back_scalar(b: &[u8], j: usize) -> Option<usize> {
    if *b.get(j.checked_sub(1)?)? == b'"' {
        return back_string(b, j);
    }
    let n = b[..j].iter().rev().take_while(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c)).count();
    (n > 0).then_some(j - n)
}

/// Where the object whose `}` is at `close` starts (its `{`).
fn back_object(b: &[u8], close: usize) -> Option<usize> {
    let (mut i, mut depth) = (close, 0usize);
    loop {
        match b[i] {
            b'"' => i = back_string(b, i + 1)?,
            b'}' | b']' => depth += 1,
            b'{' | b'[' if depth == 1 => return (b[i] == b'{').then_some(i),
            b'{' | b'[' => depth = depth.checked_sub(1)?,
            _ => {}
        }
        i = i.checked_sub(1)?;
    }
}

/// Non-zero when a byte of `w` is `c`.
fn has(w: u64, c: u8) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    let x = w ^ (LO * u64::from(c));
    x.wrapping_sub(LO) & !x & (LO << 7)
}

#[cfg(test)]
mod tests {
    use super::scan;

    #[test]
    fn the_last_id_and_has_more_in_either_order() {
        let page = br#"{"object": "list", "data": [{"id": "in_1", "lines": {"data": [{"id": "il_9"}]}},
            {"lines": {"data": [{"id": "il_8"}]}, "id": "in_2", "x": "a\"}b"}], "has_more": true, "url": "/v1/invoices"}"#;
        assert_eq!(scan(page), Some((true, Some("in_2".into()))));
        let page = br#"{"object":"list","has_more":false,"data":[]}"#;
        assert_eq!(scan(page), Some((false, None)));
        let page =
            br#"{"has_more": true, "data": [{"id": "a", "n": [1, 2.5e3, null, {}]}, {"id":"cus_7","v":-1}]}"#;
        assert_eq!(scan(page), Some((true, Some("cus_7".into()))));
        let page =
            br#"{"data": [{"d": "0123456789abcdef\\\"}0123456789 ]", "id": "in_3"}], "has_more": false}"#;
        assert_eq!(scan(page), Some((false, Some("in_3".into()))));
    }

    #[test]
    fn the_last_object_is_found_from_the_end() {
        let page =
            br#"{"object": "list", "has_more": true, "data": [{"id": "in_1"}, {"x": "\"}{[", "y": "a\\",
            "z": [{"id": "no"}], "id": "in_2"} ] , "url": "/v1/invoices" , "n": -1.5e3, "b": null }"#;
        assert_eq!(scan(page), Some((true, Some("in_2".into()))));
        let page = br#"{"data": [ ], "has_more": false}"#;
        assert_eq!(scan(page), Some((false, None)));
        let page = br#"{"data": [{"id": "only"}], "has_more": true}  "#;
        assert_eq!(scan(page), Some((true, Some("only".into()))));
        // An array after `data`: the end misleads (the parse catches it), never a panic.
        let page = br#"{"data": [{"id": "a"}], "x": [{"id": "b"}], "has_more": true}"#;
        assert_eq!(scan(page), Some((true, Some("a".into()))));
        let page = br#"{"data": [{"id": "a"}], "x": [{"id": "b"}, {"id": "c"}], "has_more": true}"#;
        assert_eq!(scan(page), Some((true, Some("c".into()))));
        let page = br#"{"data": [{"id": "a"}, 7], "has_more": true}"#;
        assert_eq!(scan(page), None);
    }

    #[test]
    fn unsure_is_none() {
        assert_eq!(scan(br#"{"object": "list", "data": [{"id": "cus_"#), None);
        assert_eq!(scan(br#"{"data": [{"i\u0064": "cus_1"}], "has_more": true}"#), None);
        assert_eq!(scan(br#"{"has_more": true}"#), None);
        assert_eq!(scan(b"<html>"), None);
    }
}
