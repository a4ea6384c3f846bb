//! `csf template list | show | set | reset` (docs/today.md); which text a
//! template has is `app::templates`.

use std::path::Path;

use anyhow::{bail, Result};

use crate::app::templates as app;
use crate::cli::today::TemplateCmd;
use crate::context::Ctx;
use crate::domain::templates;
use crate::render::{self, Rows, Value};
use crate::store::{self, touches};

pub fn run(ctx: &Ctx, cmd: TemplateCmd) -> Result<()> {
    let mut conn = ctx.open()?;
    match cmd {
        TemplateCmd::List => {
            let mut rows = Rows::new(&["name", "source", "placeholders", "about"]);
            for t in app::list(&conn)? {
                let ph: Vec<String> = t.placeholders.iter().map(|p| format!("{{{p}}}")).collect();
                rows.push(vec![
                    t.name.into(),
                    t.source.name().into(),
                    ph.join(" ").into(),
                    t.about.map_or(Value::Null, |a| Value::Text(a.into())).into(),
                ]);
            }
            ctx.print_rows(&rows)
        }
        TemplateCmd::Show { name } => {
            ctx.only_formats("template show", &[render::Format::Table], " (the text as it is)")?;
            let (body, source) = app::text(&conn, &name)?;
            ctx.info(format!("{name}: {} text", source.name()));
            render::out(&ctx.raw_or_visible(&body))
        }
        TemplateCmd::Set { name, file } => {
            app::settable(&name)?;
            let body = read_text(&file)?;
            app::check_text(&name, &body, &file.display().to_string())?;
            store::write(&mut conn, |tx| touches::set_template(tx, &name, &body, ctx.now()))?;
            ctx.info(format!(
                "Template {name} changed; `csf template reset {name}` goes back to the default."
            ));
            Ok(())
        }
        TemplateCmd::Reset { name } => {
            app::check_name(&name)?;
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
    if file.as_os_str() == "-" {
        return app::read_text_from(std::io::stdin().lock(), "the template on stdin");
    }
    app::read_bounded(file)
}
