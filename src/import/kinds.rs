//! The writers of the five kinds of typed rows (docs/import.md, `rows.rs`):
//! each stores its row by its natural key.

use rusqlite::{params, OptionalExtension};

use super::keys::Key;
use super::rows::{BillingRow, CustomerRow, NpsRow, TicketRow, UsageRow};
use super::writer::{opt_text, problem, RowError, Writer, Written};
use crate::store::{billing, customers, revenue};

impl Writer<'_> {
    pub(super) fn customer(&mut self, r: CustomerRow<'_>, line: u64) -> Result<Written, RowError> {
        let CustomerRow {
            id,
            name,
            email,
            plan,
            mrr,
            signed,
            churned,
            churned_text,
            contact,
            mrr_at,
            salutation,
            present,
        } = r;
        let has = |i: usize| present[i];
        let now = self.now;
        let owned = |v: &str| opt_text(v).map(String::from);
        let Some(cid) = self.ids.get(id).copied() else {
            let new = customers::NewCustomer {
                id: id.to_string(),
                name: owned(name),
                email: owned(email),
                contact_name: owned(contact),
                salutation: owned(salutation),
                plan: owned(plan),
                mrr_cents: mrr,
                signed_up_at: signed,
                churned_at: churned,
                stripe_id: None,
            };
            let cid = customers::insert(self.tx, &new, now, revenue::Source::Import)?;
            self.ids.insert(Key::from(id), cid);
            if !email.is_empty() {
                self.emails.entry(Key::from(email.to_lowercase().as_str())).or_insert(cid);
            }
            return Ok(Written::Inserted);
        };
        let old = self
            .tx
            .prepare_cached(&format!("SELECT {} FROM customers WHERE cid = ?", customers::COLUMNS))?
            .query_row([cid], customers::from_row)?;
        // Columns the file has replace the stored values; others are kept.
        let text = |i: usize, v: &str, was: &Option<String>| if has(i) { owned(v) } else { was.clone() };
        // An empty churned_at clears only a churn an import set, never one from `churn record`.
        let churned_at = match (has(6), churned, old.churned_at) {
            (false, _, was) => was,
            (true, Some(t), _) => Some(t),
            (true, None, Some(was)) if revenue::churn_recorded_in_csf(self.tx, cid, was)? => Some(was),
            (true, None, _) => None,
        };
        let new = customers::Customer {
            name: text(1, name, &old.name),
            email: text(2, email, &old.email),
            plan: text(3, plan, &old.plan),
            contact_name: text(7, contact, &old.contact_name),
            salutation: text(9, salutation, &old.salutation),
            signed_up_at: if has(5) { signed } else { old.signed_up_at },
            churned_at,
            ..old.clone()
        };
        // The MRR is compared with the value recorded at the row's date (the
        // import's now without `mrr_changed_at`), so a change older than the
        // latest is recorded at its date.
        let mrr_from = mrr_at.unwrap_or(now).min(now);
        let mrr = mrr.filter(|_| has(4));
        let mrr_same = match mrr {
            Some(m) => customers::mrr_recorded_at(self.tx, &old, mrr_from)? == Some(m),
            None => true,
        };
        if mrr_same && new.same_fields(&old) {
            return Ok(Written::Unchanged);
        }
        customers::update(self.tx, &old, &new, (mrr, mrr_from), now, revenue::Source::Import).map_err(
            |e| match e.downcast::<rusqlite::Error>() {
                Ok(db) => RowError::Db(db),
                Err(e) => problem(line, "churned_at", churned_text, format!("{e:#}")).into(),
            },
        )?;
        if has(2) && !email.is_empty() {
            self.emails.insert(Key::from(email.to_lowercase().as_str()), cid);
        }
        Ok(Written::Updated)
    }

    pub(super) fn event_id(&mut self, name: &str, ts: i64) -> Result<i64, RowError> {
        if let Some(e) = self.events.get_mut(name) {
            if ts < e.1 {
                e.1 = ts;
                e.2 = true;
            }
            return Ok(e.0);
        }
        self.tx
            .prepare_cached("INSERT INTO event_names (name, first_seen) VALUES (?1, ?2)")?
            .execute(params![name, ts])?;
        let id = self.tx.last_insert_rowid();
        self.events.insert(Key::from(name), (id, ts, false));
        Ok(id)
    }

    pub(super) fn usage(&mut self, r: UsageRow<'_>, line: u64) -> Result<Written, RowError> {
        let UsageRow { customer: key, ts, event, count } = r;
        let cid = self.customer_key(key, line)?;
        let event_id = self.event_id(event, ts)?;
        self.usage.push(cid, ts, event_id, count)?;
        Ok(Written::Batched)
    }

    pub(super) fn nps(&mut self, r: NpsRow<'_>, line: u64) -> Result<Written, RowError> {
        let NpsRow { customer: key, ts, score, comment } = r;
        let cid = self.customer_key(key, line)?;
        self.upsert(
            "INSERT OR IGNORE INTO nps_responses (cid, responded_at, score, comment) VALUES (?1, ?2, ?3, ?4)",
            "UPDATE nps_responses SET score = ?3, comment = ?4 WHERE cid = ?1 AND responded_at = ?2
               AND (score IS NOT ?3 OR comment IS NOT ?4)",
            params![cid, ts, score, comment],
        )
    }

    pub(super) fn billing(&mut self, r: BillingRow<'_>, line: u64) -> Result<Written, RowError> {
        let BillingRow { customer: key, date, amount, currency, status, invoice } = r;
        let cid = self.customer_key(key, line)?;
        let existing: Option<i64> = match invoice {
            Some(inv) => self
                .tx
                .prepare_cached("SELECT id FROM billing_records WHERE invoice_id = ?1")?
                .query_row([inv], |r| r.get(0))
                .optional()?,
            None => self
                .tx
                .prepare_cached(
                    "SELECT id FROM billing_records WHERE cid = ?1 AND date = ?2 AND invoice_id IS NULL",
                )?
                .query_row(params![cid, date], |r| r.get(0))
                .optional()?,
        };
        let row =
            billing::Billing { cid, date, amount_cents: amount.0, currency: currency.as_deref(), status };
        match existing {
            Some(id) if billing::replace(self.tx, id, &row)? => Ok(Written::Updated),
            Some(_) => Ok(Written::Unchanged),
            None => {
                billing::insert(self.tx, &row, invoice)?;
                Ok(Written::Inserted)
            }
        }
    }

    pub(super) fn ticket(&mut self, r: TicketRow<'_>, line: u64) -> Result<Written, RowError> {
        let TicketRow {
            id,
            customer: key,
            subject,
            category,
            priority,
            channel,
            created,
            first,
            resolved,
            csat,
        } = r;
        let cid = self.customer_key(key, line)?;
        let status = if resolved.is_some() {
            "resolved"
        } else if first.is_some() {
            "acknowledged"
        } else {
            "open"
        };
        let csat_at = csat.map(|_| resolved.unwrap_or(created));
        let existing: Option<(i64, String, String, Option<String>)> = self
            .tx
            .prepare_cached(
                "SELECT t.tid, t.origin, c.id, t.subject FROM tickets t JOIN customers c ON c.cid = t.cid
                 WHERE t.id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        if let Some((_, origin, owner, subj)) = &existing {
            if origin == "csf" {
                return Err(RowError::Conflict(format!(
                    "ticket id \"{id}\" is already the ticket opened in csf for customer \"{owner}\" \
                     (\"{}\"); an import never replaces it, so nothing was imported — give the \
                     imported tickets other ids (e.g. a prefix such as zd-{id})",
                    subj.as_deref().unwrap_or("")
                )));
            }
        }
        let (tid, written) = match existing.map(|e| e.0) {
            Some(tid) => {
                // Only a row that differs is written (its imported events are
                // made of the compared fields, so they are the same too).
                let n = self
                    .tx
                    .prepare_cached(
                        "UPDATE tickets SET cid = ?2, subject = ?3, category = ?4, priority = ?5, channel = ?6,
                           status = CASE WHEN status = 'closed' AND ?8 IS NOT NULL THEN 'closed' ELSE ?7 END,
                           created_at = ?9, first_response_at = ?10, resolved_at = ?8, csat = ?11, csat_at = ?12
                         WHERE tid = ?1 AND (cid, subject, category, priority, channel, status, created_at,
                                             first_response_at, resolved_at, csat, csat_at)
                           IS NOT (?2, ?3, ?4, ?5, ?6, CASE WHEN status = 'closed' AND ?8 IS NOT NULL THEN 'closed' ELSE ?7 END,
                                   ?9, ?10, ?8, ?11, ?12)",
                    )?
                    .execute(params![tid, cid, subject, category, priority, channel, status, resolved, created, first, csat, csat_at])?;
                if n == 0 {
                    return Ok(Written::Unchanged);
                }
                self.tx
                    .prepare_cached("DELETE FROM ticket_events WHERE tid = ?1 AND imported = 1")?
                    .execute([tid])?;
                (tid, Written::Updated)
            }
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO tickets (id, cid, subject, category, priority, channel, status, created_at,
                           first_response_at, resolved_at, csat, csat_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    )?
                    .execute(params![id, cid, subject, category, priority, channel, status, created, first, resolved, csat, csat_at])?;
                (self.tx.last_insert_rowid(), Written::Inserted)
            }
        };
        let mut ev = self.tx.prepare_cached(
            "INSERT INTO ticket_events (tid, ts, kind, body, imported) VALUES (?1, ?2, ?3, ?4, 1)",
        )?;
        ev.execute(params![tid, created, "opened", "imported"])?;
        if let Some(t) = first {
            ev.execute(params![tid, t, "replied", "imported"])?;
        }
        if let Some(t) = resolved {
            ev.execute(params![tid, t, "resolved", "imported"])?;
        }
        if let (Some(c), Some(t)) = (csat, csat_at) {
            ev.execute(params![tid, t, "rated", format!("imported: {c}")])?;
        }
        Ok(written)
    }
}
