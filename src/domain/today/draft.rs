//! A draft from a template, and the message it makes: To, Subject, body —
//! for `sendmail -t`, a mail client, or a `mailto:` URL.

use std::collections::BTreeMap;

use crate::domain::tickets;

/// A draft from a template: the text (holes kept as `{name}`) and the
/// placeholders left without a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub template: String,
    pub text: String,
    pub missing: Vec<String>,
    /// The sender, `Name <address>` or an address (config `founder.email`).
    pub from: Option<String>,
}

impl Draft {
    pub fn fill(template: &str, text: &str, values: &BTreeMap<String, String>) -> Draft {
        match tickets::render(text, values) {
            Ok(t) => Draft { template: template.into(), text: t, missing: Vec::new(), from: None },
            Err(missing) => {
                // Fill what is known; keep the holes visible.
                let mut partial = values.clone();
                for m in &missing {
                    partial.insert(m.clone(), format!("{{{m}}}"));
                }
                let text = tickets::render(text, &partial).unwrap_or_else(|_| text.to_string());
                Draft { template: template.into(), text, missing, from: None }
            }
        }
    }

    /// The draft as handed over: a line naming each hole first, so that a
    /// draft with a hole is never sent by mistake.
    pub fn shown(&self) -> String {
        if self.missing.is_empty() {
            return self.text.clone();
        }
        let holes: Vec<String> = self.missing.iter().map(|m| format!("{{{m}}}")).collect();
        let fixes: Vec<String> = self.missing.iter().filter_map(|m| fix_for(m)).collect();
        format!(
            "[NOT READY: fill {}{}]\n\n{}",
            holes.join(", "),
            if fixes.is_empty() { String::new() } else { format!(" — {}", fixes.join("; ")) },
            self.text
        )
    }

    /// The draft as a message to `to`: a first line `Subject: …` in the
    /// template is the subject, else `default_subject`.
    pub fn message(&self, to: Option<&str>, default_subject: &str) -> Message {
        let shown = self.shown();
        let (notice, text) = match shown.split_once("]\n\n") {
            Some((n, rest)) if shown.starts_with("[NOT READY") => (Some(format!("{n}]")), rest.to_string()),
            _ => (None, shown.clone()),
        };
        let (subject, body) = match text.strip_prefix("Subject:") {
            Some(rest) => {
                let (line, body) = rest.split_once('\n').unwrap_or((rest, ""));
                (line.trim().to_string(), body.trim_start_matches('\n').to_string())
            }
            None => (default_subject.to_string(), text),
        };
        let body = match notice {
            Some(n) => format!("{n}\n\n{body}"),
            None => body,
        };
        Message {
            from: self.from.clone(),
            to: to.map(str::to_string),
            subject,
            body: body.trim_end().to_string() + "\n",
        }
    }
}

/// How to fill a placeholder csf fills from its settings.
fn fix_for(placeholder: &str) -> Option<String> {
    let key = match placeholder {
        "product" => "product.name",
        "founder" => "founder.name",
        "first_step" => "product.first_step",
        "feature" => "onboarding.value_event",
        _ => return None,
    };
    Some(format!("csf config set {key} VALUE"))
}

/// A draft as an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub from: Option<String>,
    pub to: Option<String>,
    pub subject: String,
    pub body: String,
}

impl Message {
    /// The message a mail program accepts as is (for `sendmail -t`): `From:`
    /// (when known), `To:`, `Subject:` — every value on one line, encoded
    /// (RFC 2047) when not ASCII, folded when long — MIME-Version, a utf-8
    /// text/plain body sent as 8bit, a blank line and the body.
    pub fn text(&self) -> String {
        let mut o = String::new();
        if let Some(from) = &self.from {
            o.push_str(&header("From", &mailbox(&one_line(from))));
        }
        if let Some(to) = &self.to {
            o.push_str(&header("To", &one_line(to)));
        }
        o.push_str(&header("Subject", &encode_words(&one_line(&self.subject))));
        o.push_str(
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n",
        );
        o.push_str(&self.body);
        o
    }

    /// A `mailto:` URL (RFC 6068) carrying the same address, subject and
    /// body; line breaks in the address and subject are flattened as in
    /// the text form, so they can never become headers.
    pub fn mailto(&self) -> String {
        format!(
            "mailto:{}?subject={}&body={}",
            self.to.as_deref().map_or(String::new(), |t| encode(&one_line(t), b"@")),
            encode(&one_line(&self.subject), b""),
            encode(&self.body.replace("\r\n", "\n").replace('\n', "\r\n"), b"")
        )
    }
}

/// `Name: value`, folded at spaces so no line passes 78 characters where
/// the value allows it.
fn header(name: &str, value: &str) -> String {
    let mut out = format!("{name}:");
    let mut line = out.len();
    for (i, word) in value.split(' ').enumerate() {
        if i > 0 && line + 1 + word.len() > 78 {
            out.push('\n');
            line = 0;
        }
        out.push(' ');
        out.push_str(word);
        line += 1 + word.len();
    }
    out.push('\n');
    out
}

/// "Sam Lee <sam@acme.com>" with the display name encoded when not ASCII,
/// quoted when it holds specials; a bare address as it is.
fn mailbox(v: &str) -> String {
    match v.rsplit_once('<') {
        Some((name, addr)) if addr.ends_with('>') => {
            let name = name.trim().trim_matches('"');
            if name.is_empty() {
                return format!("<{addr}");
            }
            let shown = if !name.is_ascii() {
                encode_words(name)
            } else if name.chars().any(|c| "()<>[]:;@\\,.\"".contains(c)) {
                format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                name.to_string()
            };
            format!("{shown} <{addr}")
        }
        _ => v.to_string(),
    }
}

/// RFC 2047 encoded words (`=?utf-8?B?…?=`) for text that is not ASCII,
/// each at most 75 characters and split between characters, separated by
/// spaces (where a header folds); ASCII text as it is.
pub fn encode_words(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        // 39 bytes make 52 base64 characters, 64 with the markers: a
        // header line with its name stays under 78.
        if chunk.len() + c.len_utf8() > 39 {
            words.push(format!("=?utf-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?utf-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words.join(" ")
}

/// Standard base64 with padding.
fn base64(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        o.push(A[(n >> 18) as usize & 63] as char);
        o.push(A[(n >> 12) as usize & 63] as char);
        o.push(if c.len() > 1 { A[(n >> 6) as usize & 63] as char } else { '=' });
        o.push(if c.len() > 2 { A[n as usize & 63] as char } else { '=' });
    }
    o
}

/// A header value on one line: a line break in data (CR, LF, the Unicode
/// separators) or a NUL can never add a header.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n', '\u{2028}', '\u{2029}', '\0'], " ")
}

/// Percent-encoding: everything but RFC 3986's unreserved characters (and `keep`).
pub fn encode(s: &str, keep: &[u8]) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// The inverse of [`encode`] (for tests and for reading a mailto: back).
pub fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
