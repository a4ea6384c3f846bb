//! `csf template list | show | set | reset` (SPEC §13.1), and the one place
//! that says which text a template has: a change stored with `csf template
//! set`, else a file `<config dir>/csf/templates/NAME.txt` (SPEC §7.2), else
//! the shipped default.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use rusqlite::Connection;

use crate::cli::today::TemplateCmd;
use crate::context::Ctx;
use crate::domain::templates::{self, DEFAULTS};
use crate::domain::tickets::placeholders;
use crate::render::{self, Rows, Value};
use crate::store::{self, touches};

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

pub fn template_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("csf").join("templates"))
}

fn check_name(name: &str) -> Result<()> {
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
            let t = std::fs::read_to_string(&p)
                .with_context(|| format!("could not read the template {}", p.display()))?;
            return Ok((t, Source::File));
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

pub fn run(ctx: &Ctx, cmd: TemplateCmd) -> Result<()> {
    let mut conn = ctx.open()?;
    match cmd {
        TemplateCmd::List => {
            let mut rows = Rows::new(&["name", "source", "placeholders", "about"]);
            let changed = touches::changed_templates(&conn)?;
            for t in DEFAULTS {
                let (body, source) = text(&conn, t.name)?;
                let ph: Vec<String> = placeholders(&body).iter().map(|p| format!("{{{p}}}")).collect();
                rows.push(vec![t.name.into(), source.name().into(), ph.join(" ").into(), t.about.into()]);
            }
            for name in changed.iter().filter(|n| templates::default(n).is_none()) {
                let (body, _) = text(&conn, name)?;
                let ph: Vec<String> = placeholders(&body).iter().map(|p| format!("{{{p}}}")).collect();
                rows.push(vec![
                    name.clone().into(),
                    "changed".into(),
                    ph.join(" ").into(),
                    Value::Null.into(),
                ]);
            }
            ctx.print_rows(&rows)
        }
        TemplateCmd::Show { name } => {
            ctx.only_formats("template show", &[render::Format::Table], " (the text as it is)")?;
            let (body, source) = text(&conn, &name)?;
            ctx.info(format!("{name}: {} text", source.name()));
            render::out(&body)
        }
        TemplateCmd::Set { name, file } => {
            check_name(&name)?;
            let Some(default) = templates::default(&name) else {
                bail!(
                    "no template \"{name}\" to set; the templates are {}",
                    DEFAULTS.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
                );
            };
            let body = read_text(&file)?;
            if body.trim().is_empty() {
                bail!("{} is empty; a template needs text (`csf template reset {name}` goes back to the default)", file.display());
            }
            // Outreach drafts are filled from the database: a placeholder csf
            // cannot fill would be a hole in every draft.
            let allowed = placeholders(default.text);
            let fillable = ["name", "company", "product", "founder", "first_step", "feature"];
            let unknown: Vec<String> = placeholders(&body)
                .into_iter()
                .filter(|p| !allowed.contains(p) && !fillable.contains(&p.as_str()))
                .collect();
            if !unknown.is_empty() && !["ack", "resolution", "escalation"].contains(&name.as_str()) {
                bail!(
                    "{}: csf cannot fill {} in the {name} template; use {}",
                    file.display(),
                    unknown.iter().map(|u| format!("{{{u}}}")).collect::<Vec<_>>().join(", "),
                    fillable.iter().map(|f| format!("{{{f}}}")).collect::<Vec<_>>().join(" ")
                );
            }
            store::write(&mut conn, |tx| touches::set_template(tx, &name, &body, ctx.now))?;
            ctx.info(format!(
                "Template {name} changed; `csf template reset {name}` goes back to the default."
            ));
            Ok(())
        }
        TemplateCmd::Reset { name } => {
            check_name(&name)?;
            if templates::default(&name).is_none() {
                bail!("no template \"{name}\"; `csf template list` shows them");
            }
            let was = store::write(&mut conn, |tx| touches::reset_template(tx, &name))?;
            ctx.info(if was {
                format!("Template {name} is back to the default.")
            } else {
                format!("Template {name} already had the default text.")
            });
            Ok(())
        }
    }
}

fn read_text(file: &Path) -> Result<String> {
    let mut buf = Vec::new();
    if file.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut buf).context("could not read the template from stdin")?;
    } else {
        buf = std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    }
    String::from_utf8(buf).map_err(|_| anyhow!("{} is not UTF-8 text; save it as UTF-8", file.display()))
}
