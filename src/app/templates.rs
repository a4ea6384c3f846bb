//! Which text a template has: a change stored with `csf template set`, else
//! a file `<config dir>/csf/templates/NAME.txt`, else the shipped default
//! (docs/today.md).

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use rusqlite::Connection;

use crate::domain::templates::{self, DEFAULTS};
use crate::domain::tickets::placeholders;
use crate::store::touches;

/// Where a template's text in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Changed,
    File,
    Default,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Changed => "changed",
            Source::File => "file",
            Source::Default => "default",
        }
    }
}

/// The folder of the user's template files.
pub fn template_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("csf").join("templates"))
}

pub fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        bail!("template names are letters, digits, - and _; got \"{name}\"");
    }
    Ok(())
}

/// The text in force for `name`, and where it comes from.
pub fn text(conn: &Connection, name: &str) -> Result<(String, Source)> {
    check_name(name)?;
    if let Some(body) = touches::template(conn, name)? {
        return Ok((body, Source::Changed));
    }
    if let Some(p) = template_dir().map(|d| d.join(format!("{name}.txt"))) {
        if p.exists() {
            return Ok((read_bounded(&p)?, Source::File));
        }
    }
    templates::default(name).map(|t| (t.text.to_string(), Source::Default)).ok_or_else(|| {
        anyhow!(
            "no template \"{name}\"; `csf template list` shows them, and a file {} adds one",
            template_dir().map_or("<config dir>/csf/templates/NAME.txt".into(), |d| d
                .join("NAME.txt")
                .display()
                .to_string())
        )
    })
}

/// The largest template csf reads: a message, not a file of data.
pub const MAX_TEMPLATE_BYTES: u64 = 64 * 1024;

/// Reads a template file: a regular file (a FIFO or a device is refused
/// without opening it, so nothing blocks), at most [`MAX_TEMPLATE_BYTES`], UTF-8.
pub fn read_bounded(p: &Path) -> Result<String> {
    let m = std::fs::metadata(p).with_context(|| format!("could not read the template {}", p.display()))?;
    if !m.is_file() {
        bail!("{} is not a regular file; a template is a text file of at most 64 KiB", p.display());
    }
    let f = std::fs::File::open(p).with_context(|| format!("could not read the template {}", p.display()))?;
    read_text_from(f, &p.display().to_string())
}

/// Reads at most [`MAX_TEMPLATE_BYTES`] of UTF-8 text from `r` (`what` names it in errors).
pub fn read_text_from(r: impl Read, what: &str) -> Result<String> {
    let mut buf = Vec::new();
    r.take(MAX_TEMPLATE_BYTES + 1).read_to_end(&mut buf).with_context(|| format!("could not read {what}"))?;
    if buf.len() as u64 > MAX_TEMPLATE_BYTES {
        bail!("{what} is over 64 KiB; a template is a message — shorten it");
    }
    String::from_utf8(buf).map_err(|_| anyhow!("{what} is not UTF-8 text; save it as UTF-8"))
}

/// One template as `csf template list` shows it.
pub struct Listed {
    pub name: String,
    pub source: Source,
    pub placeholders: Vec<String>,
    pub about: Option<&'static str>,
}

/// Every shipped template, then the changed ones that are not shipped.
pub fn list(conn: &Connection) -> Result<Vec<Listed>> {
    let mut out = Vec::new();
    for t in DEFAULTS {
        let (body, source) = text(conn, t.name)?;
        out.push(Listed {
            name: t.name.into(),
            source,
            placeholders: placeholders(&body),
            about: Some(t.about),
        });
    }
    for name in touches::changed_templates(conn)?.into_iter().filter(|n| templates::default(n).is_none()) {
        let (body, _) = text(conn, &name)?;
        out.push(Listed { placeholders: placeholders(&body), name, source: Source::Changed, about: None });
    }
    Ok(out)
}

/// The shipped template `name`, which `template set` may change.
pub fn settable(name: &str) -> Result<&'static templates::Template> {
    check_name(name)?;
    templates::default(name).ok_or_else(|| {
        anyhow!(
            "no template \"{name}\" to set; the templates are {}",
            DEFAULTS.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
        )
    })
}

/// Checks a new text for the shipped template `name` (`from` names where the
/// text came from, for the error): outreach drafts are filled from the
/// database, so a placeholder csf cannot fill would be a hole in every draft.
pub fn check_text(name: &str, body: &str, from: &str) -> Result<()> {
    let default = settable(name)?;
    if body.trim().is_empty() {
        bail!(
            "{from} is empty; a template needs text (`csf template reset {name}` goes back to the default)"
        );
    }
    let allowed = placeholders(default.text);
    let unknown: Vec<String> = placeholders(body)
        .into_iter()
        .filter(|p| !allowed.contains(p) && !templates::FILLABLE.contains(&p.as_str()))
        .collect();
    if !unknown.is_empty() && !["ack", "resolution", "escalation"].contains(&name) {
        bail!(
            "{from}: csf cannot fill {} in the {name} template; use {}",
            unknown.iter().map(|u| format!("{{{u}}}")).collect::<Vec<_>>().join(", "),
            templates::FILLABLE.iter().map(|f| format!("{{{f}}}")).collect::<Vec<_>>().join(" ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store;

    #[test]
    fn a_stored_change_wins_over_the_default_and_unknown_placeholders_are_refused() {
        let mut conn = store::open_memory().unwrap();
        assert_eq!(text(&conn, "rescue").unwrap().1, Source::Default);
        store::write(&mut conn, |tx| touches::set_template(tx, "rescue", "Hi {name}", 0)).unwrap();
        let (body, source) = text(&conn, "rescue").unwrap();
        assert_eq!((body.as_str(), source), ("Hi {name}", Source::Changed));
        assert!(list(&conn).unwrap().iter().any(|t| t.name == "rescue" && t.source == Source::Changed));
        let e = check_text("rescue", "Hi {nickname}", "new.txt").unwrap_err().to_string();
        assert!(e.contains("cannot fill {nickname}"), "{e}");
        assert!(check_text("nope", "x", "f").unwrap_err().to_string().contains("no template \"nope\""));
        assert!(check_name("../x").is_err());
    }
}
