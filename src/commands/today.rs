//! `csf today`, `csf done`, `csf touch` (docs/today.md): the morning's
//! actions from `app::today`, and what doing them records.

use anyhow::{bail, Result};

use crate::app::drafts::unset_draft_settings;
use crate::app::today as app;
use crate::cli::today::{ActionKind, DoneArgs, TodayArgs, TouchArgs};
use crate::context::{Alert, Ctx};
use crate::domain::today::{Effect, Kind};
use crate::render::{self, today as rt, Format};
use crate::store::touches::{self, NewTouch};
use crate::store::{self, customers};

fn wanted(kind: Kind, only: &[ActionKind]) -> bool {
    only.is_empty()
        || only.iter().any(|k| {
            matches!(
                (k, kind),
                (ActionKind::Ticket, Kind::Ticket)
                    | (ActionKind::Rescue, Kind::Rescue)
                    | (ActionKind::Winback, Kind::Winback)
                    | (ActionKind::Onboarding, Kind::Onboarding)
                    | (ActionKind::Expand, Kind::Expand)
            )
        })
}

pub fn today(ctx: &Ctx, args: TodayArgs) -> Result<()> {
    let conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    let mut all = app::actions(&conn, &settings, ctx.now)?;
    all.retain(|a| wanted(a.kind, &args.kind));
    match ctx.format_or(Format::Table) {
        Format::Markdown => render::out(&rt::markdown(&all, ctx.now))?,
        Format::Table => {
            render::out(&rt::heading(&all, ctx.now))?;
            if !all.is_empty() {
                let mut rows = rt::rows(&all);
                rows.hidden = vec!["customer_id", "email", "draft"];
                ctx.print_rows(&rows)?;
                render::out(&rt::drafts_text(&all))?;
            }
        }
        _ => ctx.print_rows(&rt::rows(&all))?,
    }
    let unset = unset_draft_settings(&settings);
    if !unset.is_empty() && all.iter().any(|a| a.draft.is_some()) {
        ctx.info(format!(
            "Drafts use plain words for {}: `csf config set KEY VALUE` makes them yours.",
            unset.join(", ")
        ));
    }
    if all.is_empty() {
        ctx.info("Nothing due today.");
    } else {
        ctx.info("`csf done ID...` when done; `csf touch CUSTOMER --note TEXT` logs a call or meeting.");
    }
    if args.fail_on.is_some() && !all.is_empty() {
        return Err(Alert(format!(
            "{} action{} due today",
            all.len(),
            if all.len() == 1 { " is" } else { "s are" }
        ))
        .into());
    }
    Ok(())
}

pub fn done(ctx: &Ctx, args: DoneArgs) -> Result<()> {
    let mut conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    let recorded = app::done(&mut conn, &settings, ctx.now, &args.ids, args.note.as_deref())?;
    for a in &recorded {
        let what = match &a.effect {
            Effect::Reply { ticket_id, .. } => format!("reply recorded on ticket {ticket_id}"),
            Effect::Step { sequence, day, .. } => format!("{sequence} day {day} marked done"),
            Effect::Touch => "touch logged".to_string(),
        };
        ctx.info(format!("Done: {} — {what}", a.id));
    }
    Ok(())
}

pub fn touch(ctx: &Ctx, args: TouchArgs) -> Result<()> {
    let mut conn = ctx.open()?;
    let note = args.note.trim();
    if note.is_empty() {
        bail!("the note is empty; say what happened, e.g. --note 'call: wants SSO'");
    }
    let c = customers::get(&conn, &args.customer)?;
    store::write(&mut conn, |tx| {
        touches::insert(
            tx,
            &NewTouch {
                cid: c.cid,
                kind: args.kind.name(),
                action: None,
                action_kind: None,
                note: Some(note),
            },
            ctx.now,
        )
    })?;
    ctx.info(format!("Touch logged for {} ({}): {}", c.label(), args.kind.name(), note));
    Ok(())
}
