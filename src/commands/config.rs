//! `csf config list | get | set | unset` (docs/schema.md).

use anyhow::{anyhow, bail, Result};

use crate::cli::ConfigCmd;
use crate::context::Ctx;
use crate::domain::settings::{self, KEYS};
use crate::render::{out, Rows, Tone, Value};
use crate::store;

pub fn run(ctx: &Ctx, cmd: ConfigCmd) -> Result<()> {
    let conn = ctx.open()?;
    match cmd {
        ConfigCmd::List => {
            let s = ctx.settings(&conn)?;
            let mut rows = Rows::new(&["key", "value", "default", "set", "description"]);
            for k in KEYS {
                let set = s.is_set(k.name);
                rows.push(vec![
                    k.name.into(),
                    crate::render::Cell::from(Value::opt_text(s.get(k.name))).tone(if set {
                        Tone::Plain
                    } else {
                        Tone::Dim
                    }),
                    Value::opt_text(k.default).into(),
                    Value::Bool(set).into(),
                    k.help.into(),
                ]);
            }
            ctx.print_rows(&rows)
        }
        ConfigCmd::Get { key } => {
            settings::key(&key).ok_or_else(|| anyhow!(settings::validate(&key, "").unwrap_err()))?;
            let s = ctx.settings(&conn)?;
            match s.get(&key) {
                Some(v) => out(&format!("{v}\n")),
                None => {
                    ctx.info(format!("{key} is not set (derived from the data)"));
                    Ok(())
                }
            }
        }
        ConfigCmd::Set { key, value, force } => {
            let v = settings::validate(&key, &value).map_err(|e| anyhow!("{e}; nothing was changed"))?;
            let mut conn = conn;
            store::write(&mut conn, |tx| {
                let was = ctx.settings(tx)?.get(&key);
                if key == "currency" && !force && was.as_deref() != Some(v.as_str()) {
                    let amounts = store::config::amounts_stored(tx)?;
                    if amounts > 0 {
                        bail!(
                            "currency: {amounts} stored amounts are in {}; changing it relabels every one of them \
                             without converting — pass --force if that is what you want; nothing was changed",
                            was.as_deref().unwrap_or("USD")
                        );
                    }
                }
                store::config::set(tx, &key, &v)
            })?;
            ctx.info(format!("{key} = {v}"));
            Ok(())
        }
        ConfigCmd::Unset { key } => {
            settings::key(&key).ok_or_else(|| anyhow!(settings::validate(&key, "").unwrap_err()))?;
            let mut conn = conn;
            if store::write(&mut conn, |tx| store::config::unset(tx, &key))? {
                ctx.info(format!("{key} is back to its default"));
            } else {
                ctx.info(format!("{key} was not set"));
            }
            Ok(())
        }
    }
}
