//! `csf today`, `done`, `skip`, `draft`, `touch` (docs/today.md): the
//! morning's actions from `app::today`, and what doing them records.

use anyhow::{anyhow, bail, Result};

use crate::app::drafts::unset_draft_settings;
use crate::app::outreach::{self, Until};
use crate::app::today as app;
use crate::cli::today::{DoneArgs, DraftArgs, SkipArgs, TodayArgs, TouchArgs};
use crate::context::{Alert, Ctx};
use crate::domain::today::{Action, Kind};
use crate::render::{self, today as rt, Format};
use crate::store::touches::{self, NewTouch};
use crate::store::{self, customers};
use crate::time;

pub fn today(ctx: &Ctx, args: TodayArgs) -> Result<()> {
    let conn = ctx.open()?;
    crate::app::readers::scan_only(&conn)?;
    let settings = ctx.settings(&conn)?;
    let morning = app::morning(&conn, &settings, ctx.now())?;
    let kinds: Vec<Kind> = args.kind.iter().map(|k| Kind::from(*k)).collect();
    if args.skipped {
        let mut all = morning.skipped();
        all.retain(|a| kinds.is_empty() || kinds.contains(&a.kind));
        if all.is_empty() {
            ctx.info("Nothing is skipped.");
        }
        return ctx.print_rows(&rt::skipped_rows(&all));
    }
    let total = morning.count(&kinds);
    let limit = if args.all { total } else { args.limit.unwrap_or(settings.count("today.limit")) as usize };
    // Drafts only for the actions shown (ranking needs none); JSON and CSV
    // stream, each action built and its draft filled as its row is written.
    let maker = app::DraftMaker::new(&conn, &settings, ctx.now())?;
    let any_draft = std::cell::Cell::new(false);
    let with_draft = |mut a: Action| -> Result<Action> {
        maker.fill(&mut a)?;
        any_draft.set(any_draft.get() || a.draft.is_some());
        Ok(a)
    };
    let shown = morning.due(&kinds).take(limit);
    match ctx.format_or(Format::Table) {
        Format::Json => render::out_json_seq(shown.map(|a| with_draft(a).map(|a| rt::json(&a))))?,
        Format::Csv => render::out_csv_seq(&rt::COLUMNS, shown.map(|a| with_draft(a).map(|a| rt::row(&a))))?,
        format => {
            let shown = shown.map(with_draft).collect::<Result<Vec<_>>>()?;
            if format == Format::Markdown {
                render::out(&rt::markdown(&shown, total, ctx.now()))?;
            } else {
                render::out(&rt::heading(shown.len(), total, ctx.now()))?;
                if !shown.is_empty() {
                    ctx.print_rows(&rt::rows(&shown))?;
                    if let Some(line) = rt::more_line(shown.len(), total) {
                        render::out(&line)?;
                    }
                    render::out(&rt::drafts_text(&shown))?;
                }
            }
        }
    }
    for w in maker.warnings() {
        // Said even with --quiet: a template of yours was not used.
        eprintln!("warning: {}", render::visible(&w));
    }
    let unset = if any_draft.get() { unset_draft_settings(&settings) } else { Vec::new() };
    let rescues = morning.count(&[Kind::Rescue]);
    for hint in rt::hints(&unset, total, rescues > 0 && !morning.has_evidence()) {
        ctx.info(hint);
    }
    match rt::due_alert(total).filter(|_| args.fail_on.is_some()) {
        Some(a) => Err(Alert(a).into()),
        None => Ok(()),
    }
}

pub fn done(ctx: &Ctx, args: DoneArgs) -> Result<()> {
    let mut conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    let recorded = outreach::done(&mut conn, &settings, ctx.now(), &args.ids, args.note.as_deref())?;
    for a in &recorded {
        ctx.info(rt::done_line(a));
    }
    Ok(())
}

pub fn skip(ctx: &Ctx, args: SkipArgs) -> Result<()> {
    let mut conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    if args.undo {
        for id in outreach::unskip(&mut conn, &settings, ctx.now(), &args.ids)? {
            ctx.info(format!("{id} is back in `csf today`"));
        }
        return Ok(());
    }
    let until = match (&args.until, args.days) {
        (Some(d), _) => Until::Day(time::Day::of(
            time::parse_now(d).map_err(|e| anyhow!("--until \"{d}\" {e}; use a date such as 2026-12-15"))?,
        )),
        (None, Some(n)) => Until::Days(n),
        (None, None) => Until::Default,
    };
    for (a, end) in outreach::skip(&mut conn, &settings, ctx.now(), &args.ids, until, args.note.as_deref())? {
        ctx.info(format!("Skipped {} until {}; no touch logged", a.id, rt::until_text(end, ctx.now())));
    }
    Ok(())
}

pub fn draft(ctx: &Ctx, args: DraftArgs) -> Result<()> {
    ctx.only_formats(
        "draft",
        &[Format::Table],
        " (the draft is an email; `csf today -f json` has every draft)",
    )?;
    let conn = ctx.open()?;
    let settings = ctx.settings(&conn)?;
    let morning = app::morning(&conn, &settings, ctx.now())?;
    let mut one = vec![morning.get(&args.id)?];
    app::fill_drafts(&conn, &settings, ctx.now(), &mut one)?;
    let Some(m) = rt::message(&one[0]) else {
        bail!("{} has no draft: {}", one[0].id, one[0].action);
    };
    if m.to.is_none() {
        let id = &one[0].customer_id;
        ctx.info(format!("{id} has no email address: `csf customer edit {id} --email ADDRESS`"));
    }
    // Raw into a pipe (`| sendmail -t`): this is the message to send; escaped on a terminal.
    let text = if args.mailto { format!("{}\n", m.mailto()) } else { m.text() };
    render::out(&ctx.raw_or_visible(&text))
}

pub fn touch(ctx: &Ctx, args: TouchArgs) -> Result<()> {
    let mut conn = ctx.open()?;
    let note = args.note.trim();
    if note.is_empty() {
        bail!("the note is empty; say what happened, e.g. --note 'call: wants SSO'");
    }
    let c = customers::get(&conn, &args.customer)?;
    let t = NewTouch {
        cid: c.cid,
        kind: args.kind.name(),
        action: None,
        action_kind: None,
        note: Some(note),
        basis: None,
    };
    store::write(&mut conn, |tx| touches::insert(tx, &t, ctx.now()))?;
    ctx.info(format!("Touch logged for {} ({}): {}", c.label(), args.kind.name(), note));
    Ok(())
}
