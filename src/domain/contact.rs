//! What may reach a mail header (docs/today.md): text without line breaks or
//! control characters, an email field holding exactly one address, and the
//! name a draft greets.

/// Refuses text that could add or break a mail header: CR, LF, NUL, the
/// Unicode line and paragraph separators, and other control characters
/// (a tab is allowed). `what` names the field in the message.
pub fn check_header_text(what: &str, v: &str) -> Result<(), String> {
    match header_text_problem(v) {
        Some(p) => Err(format!("{what} {p}")),
        None => Ok(()),
    }
}

/// What is wrong with `v` as header text ("contains a line break (U+000A), …"), if anything.
pub fn header_text_problem(v: &str) -> Option<String> {
    v.chars().find(|c| (c.is_control() && *c != '\t') || matches!(c, '\u{2028}' | '\u{2029}')).map(|c| {
        format!(
            "contains {} (U+{:04X}), which could add or break a line of an email header; remove it",
            match c {
                '\r' => "a carriage return",
                '\n' => "a line break",
                '\0' => "a NUL byte",
                '\u{2028}' | '\u{2029}' => "a Unicode line separator",
                _ => "a control character",
            },
            c as u32
        )
    })
}

/// An email field holds exactly one address: `local@domain`, one `@`, no
/// spaces, commas, semicolons, angle brackets, quotes or parentheses (which
/// would add a second recipient or a display name).
pub fn check_email(v: &str) -> Result<(), String> {
    check_header_text("the email", v)?;
    let bad = v.chars().find(|c| c.is_whitespace() || ",;<>\"()[]\\:".contains(*c));
    let parts: Vec<&str> = v.split('@').collect();
    match (bad, parts.as_slice()) {
        (Some(c), _) => Err(format!(
            "\"{v}\" is not one email address: it contains {}; give a single address such as jane@acme.com",
            if c == ',' || c == ';' {
                "a list separator (one address per customer)".to_string()
            } else {
                format!("'{c}'")
            }
        )),
        (None, [local, domain])
            if !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.') =>
        {
            Ok(())
        }
        _ => Err(format!("\"{v}\" is not an email address; give one such as jane@acme.com")),
    }
}

/// Titles a greeting skips ("Dr. Jane Smith" is greeted "Jane").
const TITLES: &[&str] = &["dr", "mr", "mrs", "ms", "mx", "prof", "miss", "sir", "madam"];

/// Role addresses: nobody's first name (`info@`, `accounts@`…).
const ROLES: &[&str] = &[
    "accounts", "admin", "billing", "contact", "dev", "finance", "founder", "founders", "hello", "help",
    "hi", "info", "it", "mail", "me", "no", "noreply", "office", "ops", "sales", "support", "team",
];

/// "Jane" from `jane.doe@acme.com`; `None` for a role address
/// (`support@`, `info@`...) or one that is not a name.
pub fn first_name_from_email(email: &str) -> Option<String> {
    let local = email.split('@').next()?.trim();
    let first = local.split(['.', '_', '-', '+']).next()?;
    if first.chars().count() < 2
        || !first.chars().all(char::is_alphabetic)
        || ROLES.contains(&first.to_lowercase().as_str())
    {
        return None;
    }
    Some(capitalised(first))
}

fn capitalised(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect()).unwrap_or_default()
}

/// The first name in a contact's name: "Last, First" read as First, any
/// leading title skipped, never a title alone or a stray comma.
pub fn first_name_from_contact(contact: &str) -> Option<String> {
    let name = match contact.split_once(',') {
        Some((_, first)) if !first.trim().is_empty() => first,
        Some((last, _)) => last,
        None => contact,
    };
    name.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-'))
        .filter(|w| !w.is_empty())
        .find(|w| !TITLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_string)
}

/// The name a draft greets (`{name}`): the salutation when set; else the
/// contact's first name; else the email's local part when it looks like a
/// first name (not a role address, not the company's own name); else "there".
pub fn greeting_name(
    salutation: Option<&str>,
    contact: Option<&str>,
    email: Option<&str>,
    company: &str,
) -> String {
    if let Some(s) = salutation.map(|s| s.trim().trim_end_matches(',').trim()).filter(|s| !s.is_empty()) {
        return s.to_string();
    }
    if let Some(first) = contact.and_then(first_name_from_contact) {
        return first;
    }
    let company: Vec<String> = company
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty())
        .collect();
    email
        .and_then(first_name_from_email)
        .filter(|n| !company.contains(&n.to_lowercase()))
        .unwrap_or_else(|| "there".into())
}

#[cfg(test)]
mod tests;
