//! The example data of `csf demo` and `csf init --example`: a dozen customers
//! with usage, NPS, billing and tickets dated relative to `now`, written as
//! CSV text so that it goes through the same import path as a user's files.

use crate::import;
use crate::import::ImportKind;
use crate::time::{rfc3339, DAY};

mod tickets;
use tickets::TICKETS;

/// One example customer and the shape of its story.
struct Persona {
    id: &'static str,
    name: &'static str,
    plan: &'static str,
    mrr: &'static str,
    /// Days before now.
    signed_up: i64,
    churned: Option<i64>,
    /// Features used on an active day.
    features: &'static [&'static str],
    /// Active every `every` days between `from` and `until` days ago (inclusive).
    active: &'static [(i64, i64, i64)],
    /// (days ago, score)
    nps: &'static [(i64, u8)],
    /// (days ago, status) invoices, monthly.
    invoices: &'static [(i64, &'static str)],
}

const PERSONAS: &[Persona] = &[
    Persona {
        id: "acme",
        name: "Acme Analytics",
        plan: "pro",
        mrr: "199.00",
        signed_up: 210,
        churned: None,
        features: &["login", "reports", "dashboards", "export", "alerts"],
        active: &[(210, 0, 1)],
        nps: &[(40, 10)],
        invoices: &[(60, "paid"), (30, "paid"), (1, "paid")],
    },
    Persona {
        id: "wayne",
        name: "Wayne Logistics",
        plan: "team",
        mrr: "99.00",
        signed_up: 160,
        churned: None,
        features: &["login", "reports", "integrations", "dashboards"],
        active: &[(160, 0, 2)],
        nps: &[(20, 8)],
        invoices: &[(35, "paid"), (5, "paid")],
    },
    Persona {
        id: "globex",
        name: "Globex Corp",
        plan: "team",
        mrr: "99.00",
        signed_up: 150,
        churned: None,
        features: &["login", "reports", "export"],
        active: &[(150, 15, 1), (14, 0, 6)],
        nps: &[(100, 9), (6, 5)],
        invoices: &[(40, "paid"), (10, "late")],
    },
    Persona {
        id: "initech",
        name: "Initech",
        plan: "starter",
        mrr: "49.00",
        signed_up: 95,
        churned: None,
        features: &["login", "reports"],
        active: &[(95, 36, 4)],
        nps: &[],
        invoices: &[(35, "paid"), (4, "failed")],
    },
    Persona {
        id: "umbrella",
        name: "Umbrella Health",
        plan: "enterprise",
        mrr: "499.00",
        signed_up: 400,
        churned: None,
        features: &["login", "reports", "dashboards", "alerts", "integrations", "export"],
        active: &[(400, 0, 1)],
        nps: &[(12, 7)],
        invoices: &[(31, "paid"), (1, "paid")],
    },
    Persona {
        id: "soylent",
        name: "Soylent Foods",
        plan: "starter",
        mrr: "49.00",
        signed_up: 45,
        churned: None,
        features: &["login", "dashboards"],
        active: &[(45, 20, 2), (13, 0, 9)],
        nps: &[],
        invoices: &[(15, "paid")],
    },
    Persona {
        id: "hooli",
        name: "Hooli",
        plan: "trial",
        mrr: "0",
        signed_up: 2,
        churned: None,
        features: &["setup_complete", "reports", "dashboards"],
        active: &[(2, 0, 1)],
        nps: &[],
        invoices: &[],
    },
    Persona {
        id: "piedpiper",
        name: "Pied Piper",
        plan: "trial",
        mrr: "0",
        signed_up: 9,
        churned: None,
        features: &["login"],
        active: &[(9, 7, 1)],
        nps: &[],
        invoices: &[],
    },
    Persona {
        id: "tyrell",
        name: "Tyrell | Replicant Labs",
        plan: "pro",
        mrr: "199.00",
        signed_up: 20,
        churned: None,
        features: &["setup_complete", "login", "integrations", "reports"],
        active: &[(20, 0, 2)],
        nps: &[(3, 10)],
        invoices: &[(20, "paid")],
    },
    Persona {
        id: "stark",
        name: "Stark Industries",
        plan: "pro",
        mrr: "199.00",
        signed_up: 300,
        churned: Some(20),
        features: &["login", "reports"],
        active: &[(300, 40, 4)],
        nps: &[(60, 4)],
        invoices: &[(50, "paid"), (21, "refunded")],
    },
    Persona {
        id: "wonka",
        name: "Wonka Sweets",
        plan: "team",
        mrr: "99.00",
        signed_up: 250,
        churned: Some(75),
        features: &["login", "dashboards"],
        active: &[(250, 80, 5)],
        nps: &[],
        invoices: &[(90, "paid")],
    },
    // Customers who left in the past year, each after the signs csf watches
    // for: their history gives `csf health backtest` and `tune` something to
    // learn from.
    Persona {
        id: "oscorp",
        name: "Oscorp",
        plan: "team",
        mrr: "99.00",
        signed_up: 430,
        churned: Some(300),
        features: &["login", "reports", "export"],
        active: &[(430, 372, 2)],
        nps: &[(380, 5)],
        invoices: &[(400, "paid"), (370, "paid"), (340, "failed")],
    },
    Persona {
        id: "vandelay",
        name: "Vandelay Imports",
        plan: "starter",
        mrr: "49.00",
        signed_up: 410,
        churned: Some(240),
        features: &["login", "dashboards"],
        active: &[(410, 300, 3)],
        nps: &[(290, 3)],
        invoices: &[(330, "paid"), (300, "late"), (270, "failed")],
    },
    Persona {
        id: "duff",
        name: "Duff Beverages",
        plan: "starter",
        mrr: "49.00",
        signed_up: 390,
        churned: Some(180),
        features: &["login"],
        active: &[(390, 250, 5)],
        nps: &[],
        invoices: &[(270, "paid"), (240, "paid"), (210, "late")],
    },
    Persona {
        id: "dunder",
        name: "Dunder Paper",
        plan: "team",
        mrr: "99.00",
        signed_up: 360,
        churned: Some(130),
        features: &["login", "reports", "alerts"],
        active: &[(360, 200, 3)],
        nps: &[(205, 6)],
        invoices: &[(220, "paid"), (190, "paid"), (160, "failed")],
    },
    Persona {
        id: "cyberdyne",
        name: "Cyberdyne Systems",
        plan: "team",
        mrr: "99.00",
        signed_up: 120,
        churned: None,
        features: &["login", "alerts", "reports"],
        active: &[(120, 0, 4)],
        nps: &[(45, 6)],
        invoices: &[(33, "paid"), (3, "paid")],
    },
];

/// The example files as (kind, csv text), in import order.
pub fn files(now: i64) -> Vec<(&'static str, String)> {
    let at = |days_ago: f64| rfc3339(now - (days_ago * DAY as f64) as i64);
    let mut customers = String::from("id,name,email,plan,mrr,signed_up_at,churned_at\n");
    let mut usage = String::from("customer,timestamp,event,count\n");
    let mut nps = String::from("customer,responded_at,score,comment\n");
    let mut billing = String::from("customer,date,amount,status,invoice_id\n");
    for p in PERSONAS {
        let name = quote(p.name);
        customers.push_str(&format!(
            "{},{},{}@example.com,{},{},{},{}\n",
            p.id,
            name,
            p.id,
            p.plan,
            p.mrr,
            at(p.signed_up as f64),
            p.churned.map(|d| at(d as f64)).unwrap_or_default()
        ));
        for &(from, until, every) in p.active {
            let mut d = from;
            while d >= until {
                // A few minutes after signup on day 0, then mid-morning.
                let hour = if d == p.signed_up { p.signed_up as f64 - 0.002 } else { d as f64 - 0.4 };
                for (i, f) in p.features.iter().enumerate() {
                    // Not every feature every day: rotate through the list.
                    if i == 0 || (d as usize + i) % 3 != 0 {
                        usage.push_str(&format!(
                            "{},{},{},{}\n",
                            p.id,
                            at(hour - i as f64 * 0.001),
                            f,
                            1 + (d + i as i64) % 4
                        ));
                    }
                }
                d -= every;
            }
        }
        for &(d, score) in p.nps {
            let comment = match score {
                9..=10 => "Saves us hours every week",
                7..=8 => "Good, a few rough edges",
                _ => "Too slow, and support took long to answer",
            };
            nps.push_str(&format!("{},{},{},{}\n", p.id, at(d as f64), score, quote(comment)));
        }
        for (i, &(d, status)) in p.invoices.iter().enumerate() {
            billing.push_str(&format!(
                "{},{},{},{},inv-{}-{}\n",
                p.id,
                at(d as f64),
                p.mrr,
                status,
                p.id,
                i + 1
            ));
        }
    }
    let mut tickets = String::from(
        "id,customer,subject,category,priority,channel,created_at,first_response_at,resolved_at,csat\n",
    );
    for &(id, cust, subject, category, channel, ago, reply, resolved, csat) in TICKETS {
        let created = ago * DAY as f64;
        let t = |h: Option<f64>| {
            h.map(|h| rfc3339(now - created as i64 + (h * 3600.0) as i64)).unwrap_or_default()
        };
        tickets.push_str(&format!(
            "{id},{cust},{},{category},normal,{channel},{},{},{},{}\n",
            quote(subject),
            rfc3339(now - created as i64),
            t(reply),
            t(resolved),
            csat.map(|c| c.to_string()).unwrap_or_default()
        ));
    }
    vec![("customers", customers), ("usage", usage), ("nps", nps), ("billing", billing), ("tickets", tickets)]
}

/// RFC 4180 quoting where needed.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The example book in a memory database as of `now` (RFC 3339), with its
/// settings and `now` as seconds: the fixture of the use cases' tests.
#[cfg(test)]
pub fn book(now: &str) -> (rusqlite::Connection, crate::domain::settings::Settings, i64) {
    let now = crate::time::parse_now(now).unwrap();
    let mut conn = crate::store::open_memory().unwrap();
    load(&mut conn, now).unwrap();
    let settings = crate::domain::settings::Settings::from_stored(crate::store::config::all(&conn).unwrap());
    (conn, settings, now)
}

/// Loads the example files into the database through the import path.
pub fn load(conn: &mut rusqlite::Connection, now: i64) -> anyhow::Result<()> {
    for (kind, text) in files(now) {
        let kind =
            // unreachable from the CLI: `files` names only the five fixed kinds
            ImportKind::from_name(kind).ok_or_else(|| anyhow::anyhow!("unknown example kind {kind}"))?;
        import::import_text(conn, kind, &text, now)?;
    }
    // What the outreach drafts are signed and filled with (`csf today`).
    for (key, value) in [
        ("product.name", "Metricly"),
        ("founder.name", "Sam"),
        ("product.first_step", "connect your first data source"),
    ] {
        crate::store::config::set(conn, key, value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
