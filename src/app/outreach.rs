//! What a founder does with the morning's actions (docs/today.md): `done`
//! records them, `skip` hides them for a while without a touch. Each runs in
//! one transaction that first checks every id is still due, so a second
//! `csf done` of one id records nothing.

use anyhow::{bail, Result};
use rusqlite::Connection;

use crate::app::today::{self, Morning};
use crate::domain::sequence::{ONBOARDING, WINBACK};
use crate::domain::settings::Settings;
use crate::domain::today::{Action, Effect, Kind};
use crate::store::touches::{self, NewTouch};
use crate::store::{self, sequences as ss, skips, tickets as st};
use crate::time;

/// The actions named by `ids` (case-insensitive), each once; an unknown id
/// is an error naming it with the nearest due ids.
fn chosen(m: &Morning, ids: &[String]) -> Result<Vec<Action>> {
    let mut out: Vec<Action> = Vec::new();
    let mut bad = Vec::new();
    for id in ids {
        match m.find(id) {
            Some(a) if !out.iter().any(|c| c.id == a.id) => out.push(a),
            Some(_) => {}
            None => {
                let near = m.suggest(id);
                bad.push(if near.is_empty() {
                    format!("\"{id}\"")
                } else {
                    format!("\"{id}\" (did you mean {}?)", near.join(", "))
                });
            }
        }
    }
    if !bad.is_empty() {
        bail!(
            "{} {} not due today (unknown, or already done); nothing was stored — `csf today --all` lists the ids that are",
            if bad.len() == 1 { "id" } else { "ids" },
            bad.join(", ")
        );
    }
    Ok(out)
}

/// Records the actions `ids` as done: a ticket gets its draft as the first
/// reply, a step is marked done, every action logs a touch. Returns them.
pub fn done(
    conn: &mut Connection,
    settings: &Settings,
    now: i64,
    ids: &[String],
    note: Option<&str>,
) -> Result<Vec<Action>> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    store::write(conn, |tx| {
        let m = today::morning(tx, settings, now)?;
        let mut chosen = chosen(&m, ids)?;
        if let Some(a) = chosen.iter().find(|a| a.kind == Kind::Data) {
            bail!(
                "{} clears itself: import fresh usage data (`csf import usage FILE`); nothing was stored",
                a.id
            );
        }
        today::fill_drafts(tx, settings, now, &mut chosen)?;
        for a in &chosen {
            if let (Effect::Reply { .. }, Some(d)) = (&a.effect, &a.draft) {
                if !d.missing.is_empty() {
                    bail!(
                        "{}: the reply draft has holes ({}); nothing was stored — fill them (`csf template set {}`) or reply with `csf ticket reply`",
                        a.id,
                        d.missing.iter().map(|m| format!("{{{m}}}")).collect::<Vec<_>>().join(", "),
                        d.template
                    );
                }
            }
        }
        for a in &chosen {
            match &a.effect {
                Effect::Reply { tid, .. } => {
                    let text = a.draft.as_ref().map(|d| d.text.clone()).unwrap_or_default();
                    st::reply(tx, *tid, now, &text)?;
                }
                Effect::Step { sequence, started_on, day } => {
                    ss::mark_done(tx, a.cid, sequence, *started_on, *day, now)?;
                }
                Effect::Touch | Effect::None => {}
            }
            touches::insert(
                tx,
                &NewTouch {
                    cid: a.cid,
                    kind: a.kind.touch_kind(),
                    action: Some(&a.id),
                    action_kind: Some(a.kind.name()),
                    note,
                    basis: a.basis.as_deref(),
                },
                now,
            )?;
        }
        Ok(chosen)
    })
}

/// How long a skip hides an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// 7 days, or for a sequence step until its due window ends.
    Default,
    /// Until this day: shown again on it.
    Day(time::Day),
    /// For this many days.
    Days(i64),
}

/// Days a plain skip hides an action.
pub const SKIP_DAYS: i64 = 7;

/// When a skip of `a` made at `now` ends (Unix seconds, midnight UTC).
pub fn skip_end(a: &Action, until: Until, now: i64) -> Result<i64> {
    let today = time::Day::of(now);
    let day = match until {
        Until::Day(d) if d <= today => {
            bail!("--until {d} is not after today ({today}); give a later date")
        }
        Until::Day(d) => d,
        // unreachable from the CLI: clap takes --days from 1 only; kept for other callers.
        Until::Days(n) if n < 1 => bail!("--days must be at least 1, got {n}"),
        Until::Days(n) => today.checked_add(n).unwrap_or(time::Day::LAST),
        Until::Default => match &a.effect {
            Effect::Step { sequence, started_on, day } => {
                let seq = if *sequence == WINBACK.name { &WINBACK } else { &ONBOARDING };
                let start = *started_on;
                match seq.steps.iter().find(|s| s.day == *day) {
                    Some(s) => start + seq.window_end(s),
                    None => today + SKIP_DAYS,
                }
            }
            _ => today + SKIP_DAYS,
        },
    };
    // The calendar csf reads ends with 9999-12-31.
    if day > time::Day::from_number(2_932_896) {
        bail!("a skip can last until 9999-12-31 at most; give an earlier --until or fewer --days");
    }
    Ok(day.start())
}

/// Hides the actions `ids` until `until`, without a touch; returns each with its end.
pub fn skip(
    conn: &mut Connection,
    settings: &Settings,
    now: i64,
    ids: &[String],
    until: Until,
    note: Option<&str>,
) -> Result<Vec<(Action, i64)>> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    store::write(conn, |tx| {
        let m = today::morning(tx, settings, now)?;
        let mut out = Vec::new();
        for a in chosen(&m, ids)? {
            if a.kind == Kind::Data {
                bail!(
                    "{} cannot be skipped: it ends by itself when fresh usage data arrives (`csf import usage FILE`); \
                     nothing was changed",
                    a.id
                );
            }
            let mut end = skip_end(&a, until, now)?;
            if a.kind == Kind::Ticket {
                match a.target_at {
                    Some(t) if t <= now => bail!(
                        "{} is past its first-response target since {}: it cannot be skipped — answer it \
                         (`csf done {}`) or reply with `csf ticket reply`; nothing was changed",
                        a.id,
                        time::rfc3339(t),
                        a.id
                    ),
                    // Back when its target passes, whatever the skip said.
                    Some(t) => end = end.min(t),
                    None => {}
                }
            }
            let cid = (a.cid != 0).then_some(a.cid);
            skips::insert(tx, &a.id, cid, &today::slot_of(&a), end, note, now)?;
            out.push((a, end));
        }
        Ok(out)
    })
}

/// Brings skipped actions back; an id that is not skipped is an error.
pub fn unskip(conn: &mut Connection, settings: &Settings, now: i64, ids: &[String]) -> Result<Vec<String>> {
    store::write(conn, |tx| {
        let skipped = today::morning(tx, settings, now)?.skipped();
        let mut out = Vec::new();
        for id in ids {
            let Some(found) = skipped.iter().find(|a| a.id.eq_ignore_ascii_case(id.trim())) else {
                bail!("\"{id}\" is not skipped; nothing was changed — `csf today --skipped` lists the skipped ids");
            };
            skips::undo(tx, (found.cid != 0).then_some(found.cid), &today::slot_of(found), &found.id, now)?;
            out.push(found.id.clone());
        }
        Ok(out)
    })
}
