//! Rescues ranked by the evidence (docs/today.md): the risk of a customer,
//! the rank by expected loss, and the why that names its evidence.

use crate::domain::evidence::Predictor;
use crate::domain::health::Band;
use crate::domain::today::judge::{Facts, Verdict};
use crate::domain::today::{self as td, Kind};
use crate::store::customers::Customer;
use crate::store::evidence::Stored;

/// A rescue's risk with the predictor it comes from: the highest stored
/// risk among the customer's band and the parts of its current signs.
fn risk_of(f: &Facts, e: &Stored) -> Option<(f64, Predictor)> {
    e.evidence.risk_of(f.score.map(Band::of).filter(|_| !f.new), &f.parts.to_vec())
}

/// The rank of a customer's judgement: a rescue by expected loss when there is evidence.
pub(super) fn rank_of(c: &Customer, f: &Facts, kind: Kind, e: Option<&Stored>) -> (i64, i64) {
    match (kind, e.and_then(|e| risk_of(f, e))) {
        (Kind::Rescue, Some((risk, _))) => td::rescue_rank(c.mrr_cents, risk),
        _ => td::rank(kind, c.mrr_cents, f.score, c.signed_up_at),
    }
}

/// A rescue's risk (None without evidence or for another kind); the reason
/// behind it names its evidence in words ("— 14 of 15 customers with a
/// failed payment left within 90 days here").
pub(super) fn name_evidence(v: &mut Verdict, f: &Facts, e: Option<&Stored>) -> Option<(f64, Predictor)> {
    let e = e.filter(|_| v.kind == Kind::Rescue)?;
    let (risk, p) = risk_of(f, e)?;
    let head = match p {
        Predictor::Part(part) => format!("{}:", part.signal().name()),
        Predictor::Band(b) => format!("{} (health", b.name()),
        _ => String::new(),
    };
    if let (Some(r), Some(words)) =
        (v.reasons.iter_mut().find(|r| r.starts_with(&head)), e.evidence.in_words(p, e.span.horizon))
    {
        r.push_str(&format!(" — {words}"));
    }
    Some((risk, p))
}
