//! The drafts of the morning's actions: filled one at a time, for the
//! actions shown or being done.

use anyhow::Result;
use rusqlite::Connection;

use crate::app::drafts::Drafts;
use crate::domain::settings::Settings;
use crate::domain::today::Action;
use crate::store::customers;
use crate::time::iso_date;

/// Fills drafts one action at a time (the settings' words and the template
/// texts read once), so a long list streams without holding every draft.
pub struct DraftMaker<'c> {
    conn: &'c Connection,
    drafts: Drafts,
}

impl<'c> DraftMaker<'c> {
    pub fn new(conn: &'c Connection, settings: &Settings, now: i64) -> Result<DraftMaker<'c>> {
        Ok(DraftMaker { conn, drafts: Drafts::new(conn, settings, now)? })
    }

    /// Fills the draft of `a` from its template (none for `data`).
    pub fn fill(&self, a: &mut Action) -> Result<()> {
        let Some(template) = a.template.clone() else { return Ok(()) };
        let c = customers::by_cid(self.conn, a.cid)?;
        let mut values = self.drafts.values_for(c.as_ref());
        values.insert("reasons".into(), a.why.clone());
        values.insert("last_active".into(), a.last_active.map_or("never".into(), iso_date));
        if let Some(topic) = &a.topic {
            values.insert("customer".into(), a.name.clone().unwrap_or_else(|| a.customer_id.clone()));
            values.insert("issue".into(), topic.clone());
            values.insert("timeframe".into(), self.drafts.timeframe.clone());
        }
        a.draft = Some(self.drafts.fill(self.conn, &template, &values)?);
        Ok(())
    }

    /// Templates that could not be read (their shipped text was used instead).
    pub fn warnings(&self) -> Vec<String> {
        self.drafts.warnings.borrow().clone()
    }
}

/// Fills the drafts of `actions` (those shown, or those being done).
pub fn fill_drafts(conn: &Connection, settings: &Settings, now: i64, actions: &mut [Action]) -> Result<()> {
    if actions.iter().all(|a| a.template.is_none()) {
        return Ok(());
    }
    let maker = DraftMaker::new(conn, settings, now)?;
    actions.iter_mut().try_for_each(|a| maker.fill(a))
}

/// The subject a draft without a `Subject:` line gets.
pub fn default_subject(a: &Action) -> String {
    match &a.topic {
        Some(t) => format!("Re: {t}"),
        None => format!("A note for {}", a.name.as_deref().unwrap_or(&a.customer_id)),
    }
}
