//! `csf report trends [--by week|month] [--periods N]` (docs/reports.md).

use anyhow::Result;

use crate::app::trends;
use crate::context::Ctx;
use crate::domain::trends::By;
use crate::render::{self, trends as rt, Format};

pub fn run(ctx: &Ctx, by: By, n: u32) -> Result<()> {
    let conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    let figures = trends::figures(&conn, &settings, ctx.now(), by, n)?;
    match ctx.format_or(Format::Table) {
        Format::Table => render::out(&rt::table(&figures, by, ctx.color)),
        Format::Markdown => render::out(&rt::markdown(&figures, by)),
        format => render::out(&rt::rows(&figures).render(format, false)?),
    }
}
