//! One fuzz input through the CSV import, with the assertions: shared by
//! the libFuzzer target (`import.rs`) and the plain mutation loop
//! (`examples/fuzz_loop.rs` in the main crate), so both check the same things.

use std::sync::atomic::{AtomicU64, Ordering};

use csf::import::{import, ImportKind, ImportOptions};

const KINDS: [ImportKind; 5] =
    [ImportKind::Customers, ImportKind::Usage, ImportKind::Nps, ImportKind::Billing, ImportKind::Tickets];

static RUN: AtomicU64 = AtomicU64::new(0);

/// Every row of the tables an import writes, as text.
fn dump(conn: &rusqlite::Connection) -> String {
    let mut out = String::new();
    for t in [
        "customers",
        "usage_events",
        "nps_responses",
        "billing_records",
        "tickets",
        "ticket_events",
        "import_log",
    ] {
        let mut st = conn.prepare(&format!("SELECT * FROM {t} ORDER BY 1")).expect("prepare dump");
        let n = st.column_count();
        let mut rows = st.query([]).expect("dump");
        while let Some(r) = rows.next().expect("dump row") {
            for i in 0..n {
                out.push_str(&format!("{:?}|", r.get_ref(i).expect("cell")));
            }
            out.push('\n');
        }
    }
    out
}

/// One input: the first byte chooses the kind and the options, the rest is the file.
pub fn check(data: &[u8]) {
    let Some((&ctl, csv)) = data.split_first() else { return };
    let kind = KINDS[(ctl % 5) as usize];
    let rejects = (ctl & 0x40 != 0).then(|| {
        std::env::temp_dir().join(format!(
            "csf-fuzz-rejects-{}-{}.csv",
            std::process::id(),
            RUN.fetch_add(1, Ordering::Relaxed)
        ))
    });
    let opts = ImportOptions {
        create_missing: ctl & 0x08 != 0,
        skip_invalid: ctl & 0x10 != 0 || rejects.is_some(),
        delimiter: if ctl & 0x20 != 0 { b';' } else { b',' },
        rejects: rejects.clone(),
        dry_run: ctl & 0x80 != 0,
        ..ImportOptions::default()
    };
    let mut conn = csf::store::open_memory().expect("an in-memory database opens");
    conn.execute_batch(
        "INSERT INTO customers (id, email, created_at, updated_at) VALUES ('acme', 'a@b.c', 0, 0);
         INSERT INTO tickets (id, cid, subject, created_at, origin)
           SELECT '1', cid, 'Opened in csf', 0, 'csf' FROM customers WHERE id = 'acme';",
    )
    .expect("seed a customer and a csf ticket");
    let before = dump(&conn);
    let result = import(&mut conn, kind, csv, "fuzz", &opts, 1_795_000_000, None);
    if result.is_err() || opts.dry_run {
        assert_eq!(dump(&conn), before, "a failed or dry-run import wrote rows");
    }
    let csf_ticket: (String, String, String) = conn
        .query_row(
            "SELECT t.origin, c.id, coalesce(t.subject, '') FROM tickets t JOIN customers c ON c.cid = t.cid
             WHERE t.id = '1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the csf ticket is still there");
    assert_eq!(csf_ticket, ("csf".into(), "acme".into(), "Opened in csf".into()), "an import replaced it");
    if let Some(p) = rejects {
        if let Ok(bytes) = std::fs::read(&p) {
            // The rejects file is written with the csv crate's defaults (comma).
            let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&bytes[..]);
            for rec in rdr.byte_records().flatten() {
                let n = rec.len().saturating_sub(1); // the last column is the reason
                for cell in rec.iter().take(n) {
                    let risky = matches!(cell.first(), Some(b'=' | b'+' | b'-' | b'@'));
                    let number =
                        std::str::from_utf8(cell).is_ok_and(|s| s.parse::<f64>().is_ok_and(f64::is_finite));
                    assert!(!risky || number, "a formula-like cell in the rejects file: {cell:?}");
                }
            }
        }
        let _ = std::fs::remove_file(&p);
    }
}
