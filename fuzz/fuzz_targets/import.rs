//! Fuzz the CSV import path: any bytes, any kind, any options — the import
//! returns Ok or an error, never panics, and a failed import writes nothing.
#![no_main]

use csf::import::{import, ImportKind, ImportOptions};
use libfuzzer_sys::fuzz_target;

const KINDS: [ImportKind; 5] =
    [ImportKind::Customers, ImportKind::Usage, ImportKind::Nps, ImportKind::Billing, ImportKind::Tickets];

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, csv)) = data.split_first() else { return };
    let kind = KINDS[(ctl % 5) as usize];
    let opts = ImportOptions {
        create_missing: ctl & 0x08 != 0,
        skip_invalid: ctl & 0x10 != 0,
        delimiter: if ctl & 0x20 != 0 { b';' } else { b',' },
        ..ImportOptions::default()
    };
    let mut conn = csf::store::open_memory().expect("an in-memory database opens");
    conn.execute(
        "INSERT INTO customers (id, email, created_at, updated_at) VALUES ('acme', 'a@b.c', 0, 0)",
        [],
    )
    .expect("seed customer");
    let result = import(&mut conn, kind, csv, "fuzz", &opts, 1_795_000_000, None);
    if result.is_err() {
        let rows: i64 = conn
            .query_row(
                "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM usage_events)
                      + (SELECT count(*) FROM nps_responses) + (SELECT count(*) FROM billing_records)
                      + (SELECT count(*) FROM tickets) + (SELECT count(*) FROM import_log)",
                [],
                |r| r.get(0),
            )
            .expect("count rows");
        assert_eq!(rows, 1, "a failed import wrote rows");
    }
});
