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
}

impl Draft {
    pub fn fill(template: &str, text: &str, values: &BTreeMap<String, String>) -> Draft {
        match tickets::render(text, values) {
            Ok(t) => Draft { template: template.into(), text: t, missing: Vec::new() },
            Err(missing) => {
                // Fill what is known; keep the holes visible.
                let mut partial = values.clone();
                for m in &missing {
                    partial.insert(m.clone(), format!("{{{m}}}"));
                }
                let text = tickets::render(text, &partial).unwrap_or_else(|_| text.to_string());
                Draft { template: template.into(), text, missing }
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
        Message { to: to.map(str::to_string), subject, body: body.trim_end().to_string() + "\n" }
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
    pub to: Option<String>,
    pub subject: String,
    pub body: String,
}

impl Message {
    /// `To:`, `Subject:`, a blank line and the body (for `sendmail -t`).
    pub fn text(&self) -> String {
        let mut o = String::new();
        if let Some(to) = &self.to {
            o.push_str(&format!("To: {}\n", one_line(to)));
        }
        o.push_str(&format!("Subject: {}\n\n{}", one_line(&self.subject), self.body));
        o
    }

    /// A `mailto:` URL (RFC 6068) carrying the same address, subject and body.
    pub fn mailto(&self) -> String {
        format!(
            "mailto:{}?subject={}&body={}",
            self.to.as_deref().map_or(String::new(), |t| encode(t, b"@")),
            encode(&self.subject, b""),
            encode(&self.body.replace('\n', "\r\n"), b"")
        )
    }
}

/// A header value on one line: a newline in data can never add a header.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
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
