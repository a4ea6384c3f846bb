//! The benchmark's server (scripts/bench-stripe): 4,000 customers and about
//! 22,000 invoices shaped like Stripe's, served until a stop file appears.
//! Ignored in the suite; the script runs it by name. With
//! `CSF_BENCH_PRETTY` set, objects are indented as Stripe's API sends them.

use crate::stripe_server::{self as s, Item, Line, Server};

const MONTH: i64 = 30 * 86_400;
/// 2026-01-01T00:00:00Z.
const START: i64 = 1_767_225_600;

fn book(srv: &Server) {
    srv.with(|st| {
        st.products.insert("prod_pro".into(), s::product("prod_pro", "Pro"));
        st.products.insert("prod_team".into(), s::product("prod_team", "Team"));
        let pro = s::price("price_pro", "prod_pro", 4900, "month");
        let year = s::price("price_team_year", "prod_team", 120_000, "year");
        st.prices = vec![pro.clone(), year.clone()];
        for n in 0..4000i64 {
            let cus = format!("cus_b{n:05}");
            let sub = format!("sub_b{n:05}");
            let k = n % 11; // the month the customer starts (0 = January)
            let t0 = START + k * MONTH + n;
            st.customers.push(s::customer(
                &cus,
                t0 - 86_400,
                &format!("Customer {n}"),
                Some(&format!("c{n}@b.example")),
            ));
            let yearly = n % 10 == 0;
            let price = if yearly { &year } else { &pro };
            let it = Item { price, quantity: 1 + n % 3, period: (t0, t0 + MONTH) };
            st.subscriptions.push(s::subscription(&sub, &cus, "active", t0, None, None, &[it], &[]));
            let periods = if yearly { 1 } else { 11 - k };
            for p in 0..periods {
                let start = t0 + p * MONTH;
                let end = if yearly { start + 12 * MONTH } else { start + MONTH };
                let line = Line { sub: &sub, price, quantity: 1 + n % 3, discount: 0, period: (start, end) };
                st.invoices.push(s::invoice(
                    &format!("in_b{n:05}_{p:02}"),
                    &cus,
                    start + 60,
                    "paid",
                    true,
                    &[line],
                ));
            }
        }
        st.pretty = std::env::var_os("CSF_BENCH_PRETTY").is_some();
        st.render();
    });
}

#[test]
#[ignore = "the benchmark's server: scripts/bench-stripe runs it"]
fn stripe_bench_server() {
    let dir = std::path::PathBuf::from(std::env::var("CSF_BENCH_DIR").expect("CSF_BENCH_DIR"));
    let srv = Server::start();
    book(&srv);
    let invoices = srv.with(|st| st.rendered["invoices"].len());
    std::fs::write(dir.join("base"), &srv.base).unwrap();
    eprintln!("serving 4000 customers and {invoices} invoices at {}", srv.base);
    while !dir.join("stop").exists() {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let log = srv.with(|st| st.log.join("\n"));
        std::fs::write(dir.join("requests.txt"), log).unwrap();
    }
}
