//! A deterministic generator of realistic csf data: the five CSV kinds of
//! SPEC §3.2, for benchmarks and large-scale checks.
//!
//! cargo run --release --example generate -- --customers 100000 --events 5000000 --seed 7 OUT_DIR
//!
//! Shapes: signups spread over two years before `--now`; most customers use
//! the product every few days, some go quiet for weeks (usage stops 20-60 days
//! before now), some churned; monthly invoices with a few late and failed;
//! NPS answers for about a third; tickets for about a fifth, a few still open.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const DAY: i64 = 86_400;
const EVENTS: &[&str] = &[
    "login",
    "reports",
    "dashboards",
    "export",
    "alerts",
    "integrations",
    "api",
    "invite",
    "setup_complete",
];
const PLANS: &[(&str, i64)] = &[("starter", 2900), ("team", 9900), ("pro", 19900), ("enterprise", 49900)];
const CATEGORIES: &[&str] =
    &["billing", "bug", "onboarding", "feature-request", "performance", "integrations"];

struct Args {
    customers: u64,
    events: u64,
    seed: u64,
    now: i64,
    order: Order,
    /// NPS answers per customer on average (0.35: about a third answer once).
    nps_per_customer: f64,
    /// Tickets per customer on average (0.5: a fifth open 1 to 4).
    tickets_per_customer: f64,
    out: PathBuf,
}

/// The order of the usage rows: real exports (PostHog, Amplitude, Segment)
/// arrive in time order, so that is the default.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Time,
    Customer,
    Random,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        customers: 1000,
        events: 100_000,
        seed: 1,
        now: 1_795_176_000,
        order: Order::Time,
        nps_per_customer: 0.35,
        tickets_per_customer: 0.5,
        out: PathBuf::new(),
    };
    let mut it = std::env::args().skip(1);
    let mut out = None;
    while let Some(arg) = it.next() {
        let mut val = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--customers" => {
                a.customers = val("--customers")?.parse().map_err(|e| format!("--customers: {e}"))?
            }
            "--events" => a.events = val("--events")?.parse().map_err(|e| format!("--events: {e}"))?,
            "--seed" => a.seed = val("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--now" => a.now = val("--now")?.parse().map_err(|e| format!("--now (Unix seconds): {e}"))?,
            "--order" => {
                a.order = match val("--order")?.as_str() {
                    "time" => Order::Time,
                    "customer" => Order::Customer,
                    "random" => Order::Random,
                    o => return Err(format!("--order: \"{o}\" is not time, customer or random")),
                }
            }
            "--nps-per-customer" => {
                a.nps_per_customer = val("--nps-per-customer")?.parse().map_err(|e| format!("--nps-per-customer: {e}"))?
            }
            "--tickets-per-customer" => {
                a.tickets_per_customer =
                    val("--tickets-per-customer")?.parse().map_err(|e| format!("--tickets-per-customer: {e}"))?
            }
            "-h" | "--help" => {
                return Err(
                    "usage: generate [--customers N] [--events M] [--seed S] [--now UNIX_SECONDS] [--order time|customer|random] [--nps-per-customer F] [--tickets-per-customer F] OUT_DIR"
                        .into(),
                )
            }
            s if !s.starts_with('-') => out = Some(PathBuf::from(s)),
            s => return Err(format!("unknown flag {s}")),
        }
    }
    a.out = out.ok_or("OUT_DIR is required")?;
    if a.customers == 0 {
        return Err("--customers must be at least 1".into());
    }
    Ok(a)
}

fn iso(ts: i64) -> String {
    let days = ts.div_euclid(DAY);
    let secs = ts.rem_euclid(DAY);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

struct Customer {
    signup: i64,
    churn: Option<i64>,
    /// Usage stops at this time (quiet customers), else `now`.
    last_active: i64,
    /// Relative activity weight.
    weight: u64,
}

fn main() {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&a) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn writer(a: &Args, name: &str) -> std::io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(1 << 20, File::create(a.out.join(name))?))
}

fn run(a: &Args) -> std::io::Result<()> {
    std::fs::create_dir_all(&a.out)?;
    let mut rng = Rng(a.seed);
    let mut customers = Vec::with_capacity(a.customers as usize);
    let mut w = writer(a, "customers.csv")?;
    writeln!(w, "id,name,email,plan,mrr,signed_up_at,churned_at")?;
    for i in 0..a.customers {
        let signup = a.now - (rng.below(730 * DAY as u64) as i64) - 3600;
        let (plan, mrr) = PLANS[rng.below(PLANS.len() as u64) as usize];
        let churn = (rng.chance(8) && a.now - signup > 40 * DAY)
            .then(|| signup + 30 * DAY + rng.below((a.now - signup - 30 * DAY) as u64) as i64);
        let last_active = match churn {
            Some(c) => c,
            None if rng.chance(15) => a.now - (20 + rng.below(40) as i64) * DAY,
            None => a.now,
        };
        let weight = 1 + rng.below(20);
        writeln!(
            w,
            "c{i:07},Customer {i},ops{i}@example.com,{plan},{}.{:02},{},{}",
            mrr / 100,
            mrr % 100,
            iso(signup),
            churn.map(iso).unwrap_or_default()
        )?;
        customers.push(Customer { signup, churn, last_active: last_active.max(signup), weight });
    }
    w.flush()?;

    // Usage: distribute `events` rows over customers by weight, each at a
    // random time between signup and last activity, biased to recent days.
    let total_weight: u64 = customers.iter().map(|c| c.weight).sum();
    // (time, customer, event, count), written in the chosen order at the end.
    let mut rows: Vec<(i64, u32, u8, u8)> = Vec::with_capacity(a.events as usize);
    let mut written = 0u64;
    for (i, c) in customers.iter().enumerate() {
        let share = if i + 1 == customers.len() {
            a.events - written
        } else {
            (a.events * c.weight / total_weight).min(a.events - written)
        };
        let span = (c.last_active - c.signup).max(1) as u64;
        for k in 0..share {
            // Squaring a uniform draw favours recent activity.
            let u = rng.below(1 << 20);
            let back = ((((u * u) >> 20) * span) >> 20) as i64;
            let ts = c.last_active - back;
            // Keep rows unique per (customer, time, event): the seconds carry k.
            let ts = ts - (ts % 60) + (k % 60) as i64;
            let ev = if k == 0 { EVENTS.len() - 1 } else { rng.below(EVENTS.len() as u64 - 1) as usize };
            rows.push((ts.max(c.signup), i as u32, ev as u8, 1 + rng.below(3) as u8));
        }
        written += share;
    }
    match a.order {
        Order::Customer => {}
        Order::Time => rows.sort_by_key(|r| (r.0, r.1)),
        Order::Random => {
            for i in (1..rows.len()).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                rows.swap(i, j);
            }
        }
    }
    let mut w = writer(a, "usage.csv")?;
    writeln!(w, "customer,timestamp,event,count")?;
    for (ts, i, ev, count) in rows {
        writeln!(w, "c{i:07},{},{},{count}", iso(ts), EVENTS[ev as usize])?;
    }
    w.flush()?;

    let mut nps = writer(a, "nps.csv")?;
    writeln!(nps, "customer,responded_at,score,comment")?;
    let mut bill = writer(a, "billing.csv")?;
    writeln!(bill, "customer,date,amount,status,invoice_id")?;
    let mut tix = writer(a, "tickets.csv")?;
    writeln!(
        tix,
        "id,customer,subject,category,priority,channel,created_at,first_response_at,resolved_at,csat"
    )?;
    let mut ticket_id = 1u64;
    for (i, c) in customers.iter().enumerate() {
        let end = c.churn.unwrap_or(a.now);
        // Whole answers each, then one more by chance (the default draws as before).
        let nps_whole = a.nps_per_customer.floor() as u64;
        let nps_more =
            u64::from(rng.chance(((a.nps_per_customer - nps_whole as f64) * 100.0).round() as u64));
        for _ in 0..nps_whole + nps_more {
            let t = c.signup + rng.below((end - c.signup).max(1) as u64) as i64;
            let score = if c.last_active < a.now - 10 * DAY { rng.below(7) } else { 5 + rng.below(6) };
            writeln!(nps, "c{i:07},{},{score},", iso(t))?;
        }
        let (_, mrr) = PLANS[i % PLANS.len()];
        let mut d = c.signup;
        let mut n = 0;
        while d <= end {
            let status = match rng.below(100) {
                0..=2 => "failed",
                3..=6 => "late",
                _ => "paid",
            };
            writeln!(bill, "c{i:07},{},{}.{:02},{status},in_{i}_{n}", iso(d), mrr / 100, mrr % 100)?;
            d += 30 * DAY;
            n += 1;
        }
        // A share of the customers open 1 to 4 tickets (2.5 on average).
        if rng.chance((a.tickets_per_customer / 2.5 * 100.0).round() as u64) {
            for _ in 0..1 + rng.below(4) {
                let created = c.signup + rng.below((end - c.signup).max(1) as u64) as i64;
                let cat = CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize];
                let channel = if rng.chance(40) { "chat" } else { "email" };
                let open = a.now - created < 5 * DAY && rng.chance(50);
                let reply = (!open || rng.chance(50)).then(|| created + rng.below(30 * 3600) as i64);
                let resolved = (!open).then(|| reply.unwrap_or(created) + rng.below(72 * 3600) as i64);
                let csat = resolved.filter(|_| rng.chance(50)).map(|_| 1 + rng.below(5));
                let clip = |t: Option<i64>| t.filter(|t| *t <= a.now).map(iso).unwrap_or_default();
                writeln!(
                    tix,
                    "T{ticket_id},c{i:07},Ticket {ticket_id},{cat},normal,{channel},{},{},{},{}",
                    iso(created),
                    clip(reply),
                    clip(resolved),
                    csat.map(|c| c.to_string()).unwrap_or_default()
                )?;
                ticket_id += 1;
            }
        }
    }
    nps.flush()?;
    bill.flush()?;
    tix.flush()?;
    eprintln!(
        "wrote {} customers, {} usage rows, {} tickets to {}",
        a.customers,
        a.events,
        ticket_id - 1,
        a.out.display()
    );
    Ok(())
}
