//! The five kinds of rows as typed values (docs/import.md): a CSV record,
//! or a source's row given as cells, is read into one of these — every cell
//! checked, named by its column — before the writer (`kinds.rs`) stores it.

use super::fields::BILLING_STATUS;
use super::values::{parse_int_in, parse_money, parse_mrr, MAX_COUNT};
use super::writer::{category_key, cell, opt_text, problem, RowError, Writer};

/// A customer. `present[i]`: the source has a column for field `i` (a
/// column it lacks keeps the stored value; an empty cell clears it).
pub(super) struct CustomerRow<'r> {
    pub id: &'r str,
    pub name: &'r str,
    pub email: &'r str,
    pub plan: &'r str,
    pub mrr: Option<crate::money::Cents>,
    pub signed: Option<i64>,
    pub churned: Option<i64>,
    /// The churned_at cell as written, for a problem found when storing it.
    pub churned_text: &'r str,
    pub contact: &'r str,
    pub mrr_at: Option<i64>,
    pub salutation: &'r str,
    pub present: [bool; 10],
}

/// A usage event.
pub(super) struct UsageRow<'r> {
    pub customer: &'r str,
    pub ts: i64,
    pub event: &'r str,
    pub count: i64,
}

/// An NPS answer.
pub(super) struct NpsRow<'r> {
    pub customer: &'r str,
    pub ts: i64,
    pub score: i64,
    pub comment: Option<&'r str>,
}

/// A billing record; `status` is csf's word for it.
pub(super) struct BillingRow<'r> {
    pub customer: &'r str,
    pub date: i64,
    pub amount: crate::money::Cents,
    /// A currency written after the amount (`49.00 EUR`).
    pub currency: Option<String>,
    pub status: &'static str,
    pub invoice: Option<&'r str>,
}

/// A support ticket.
pub(super) struct TicketRow<'r> {
    pub id: &'r str,
    pub customer: &'r str,
    pub subject: Option<&'r str>,
    pub category: Option<String>,
    pub priority: String,
    pub channel: Option<String>,
    pub created: i64,
    pub first: Option<i64>,
    pub resolved: Option<i64>,
    pub csat: Option<i64>,
}

impl Writer<'_> {
    pub(super) fn customer_row<'r>(
        &self,
        rec: &'r csv::ByteRecord,
        line: u64,
    ) -> Result<CustomerRow<'r>, RowError> {
        let id = self.get(rec, 0, line)?;
        if id.is_empty() {
            return Err(problem(line, "id", id, "is empty; this column is required").into());
        }
        let name = self.get(rec, 1, line)?;
        let email = self.get(rec, 2, line)?;
        let plan = self.get(rec, 3, line)?;
        let mrr_s = self.get(rec, 4, line)?;
        let mrr = if mrr_s.is_empty() {
            None
        } else {
            Some(parse_mrr(mrr_s, &self.currency).map_err(|m| problem(line, "mrr", mrr_s, m))?)
        };
        let signed = self.opt_ts(self.get(rec, 5, line)?, line, "signed_up_at")?;
        let churned_text = self.get(rec, 6, line)?;
        let churned = self.opt_ts(churned_text, line, "churned_at")?;
        let contact = self.get(rec, 7, line)?;
        let mrr_at = self.opt_ts(self.get(rec, 8, line)?, line, "mrr_changed_at")?;
        let salutation = self.get(rec, 9, line)?;
        // What reaches a draft's header: no line breaks, one address (docs/today.md).
        for (col, v) in [("name", name), ("contact_name", contact), ("salutation", salutation)] {
            if let Some(m) = crate::domain::contact::header_text_problem(v) {
                return Err(problem(line, col, v, m).into());
            }
        }
        if !email.is_empty() {
            crate::domain::contact::check_email(email).map_err(|m| problem(line, "email", email, m))?;
        }
        let present = std::array::from_fn(|i| !self.cols[i].is_empty());
        Ok(CustomerRow {
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
        })
    }

    pub(super) fn usage_row<'r>(
        &self,
        rec: &'r csv::ByteRecord,
        line: u64,
    ) -> Result<UsageRow<'r>, RowError> {
        let key = self.get(rec, 0, line)?;
        let ts = self.req_ts(self.get(rec, 1, line)?, line, "timestamp")?;
        let event = self.get(rec, 2, line)?;
        if event.is_empty() {
            return Err(problem(line, "event", event, "is empty; this column is required").into());
        }
        let count_s = self.get(rec, 3, line)?;
        let count = if count_s.is_empty() {
            1
        } else {
            parse_int_in(count_s, 1, MAX_COUNT).map_err(|_| {
                problem(
                    line,
                    "count",
                    count_s,
                    "is not a whole number from 1 to 1,000,000,000 (the limit per row)",
                )
            })?
        };
        Ok(UsageRow { customer: key, ts, event, count })
    }

    pub(super) fn nps_row<'r>(&self, rec: &'r csv::ByteRecord, line: u64) -> Result<NpsRow<'r>, RowError> {
        let key = self.get(rec, 0, line)?;
        let ts = self.req_ts(self.get(rec, 1, line)?, line, "responded_at")?;
        let score_s = self.get(rec, 2, line)?;
        let score = parse_int_in(score_s, 0, 10).map_err(|m| problem(line, "score", score_s, m))?;
        let comment = opt_text(self.get(rec, 3, line)?);
        Ok(NpsRow { customer: key, ts, score, comment })
    }

    pub(super) fn billing_row<'r>(
        &self,
        rec: &'r csv::ByteRecord,
        line: u64,
    ) -> Result<BillingRow<'r>, RowError> {
        let key = self.get(rec, 0, line)?;
        let date = self.req_ts(self.get(rec, 1, line)?, line, "date")?;
        let amount_s = self.get(rec, 2, line)?;
        let amount = parse_money(amount_s).map_err(|m| problem(line, "amount", amount_s, m))?;
        let currency = amount_s
            .rsplit_once(' ')
            .map(|(_, c)| c)
            .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(str::to_uppercase);
        let status_s = self.get(rec, 3, line)?;
        let status = BILLING_STATUS
            .iter()
            .find(|(k, _)| {
                k.eq_ignore_ascii_case(status_s) || k.replace('_', " ").eq_ignore_ascii_case(status_s)
            })
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                problem(
                    line,
                    "status",
                    status_s,
                    "is not a billing status; use paid, late, failed, refunded or void (or \
                     succeeded, open, past_due, unpaid, overdue, uncollectible, declined, canceled, draft)",
                )
            })?;
        let invoice = opt_text(self.get(rec, 4, line)?);
        Ok(BillingRow { customer: key, date, amount, currency, status, invoice })
    }

    pub(super) fn ticket_row<'r>(
        &self,
        rec: &'r csv::ByteRecord,
        line: u64,
    ) -> Result<TicketRow<'r>, RowError> {
        let id = self.get(rec, 0, line)?;
        if id.is_empty() {
            return Err(problem(line, "id", id, "is empty; this column is required").into());
        }
        let key = self.get(rec, 1, line)?;
        let subject_s = self.get(rec, 2, line)?;
        // A subject reaches a reply's Subject: header (docs/today.md).
        if let Some(m) = crate::domain::contact::header_text_problem(subject_s) {
            return Err(problem(line, "subject", subject_s, m).into());
        }
        let subject = opt_text(subject_s);
        let lower = |s: &str| opt_text(s).map(str::to_lowercase);
        let category = opt_text(self.get(rec, 3, line)?).map(category_key);
        let priority = lower(self.get(rec, 4, line)?).unwrap_or_else(|| "normal".into());
        let channel = lower(self.get(rec, 5, line)?);
        let created = self.req_ts(self.get(rec, 6, line)?, line, "created_at")?;
        let mut first = self.opt_ts(self.get(rec, 7, line)?, line, "first_response_at")?;
        if let Some((7, 6, col)) = self.minutes_after {
            // A preset's "first reply time in minutes" after created_at.
            let m = cell(rec, Some(col), line, "first_response_at")?;
            if first.is_none() && !m.is_empty() {
                let mins: f64 =
                    m.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0).ok_or_else(|| {
                        problem(line, "first_response_at", m, "is not a number of minutes (first reply time)")
                    })?;
                first = Some(created + (mins * 60.0).round() as i64);
            }
        }
        let resolved = self.opt_ts(self.get(rec, 8, line)?, line, "resolved_at")?;
        let csat_s = self.get(rec, 9, line)?;
        let csat = if csat_s.is_empty() {
            None
        } else {
            Some(parse_int_in(csat_s, 1, 5).map_err(|m| problem(line, "csat", csat_s, m))?)
        };
        Ok(TicketRow {
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
        })
    }
}
