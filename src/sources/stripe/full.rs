//! A full read (a first sync, or `--full`): the prices first (the others
//! map through them), then the customers, subscriptions and invoices on
//! three threads at once, each paging in order. Customers' pages and
//! invoices' billing rows go through a channel to the calling thread, which
//! writes them while the reads go on; one list failing (or the write) stops
//! the others before their next request.

use anyhow::Result;

use super::client::{Client, Stopped};
use super::invoices;
use super::objects::{Customer, Invoice};
use super::read::{add_invoice, read_prices, read_subs, refuse_foreign, Book, Cursor, Got};

type Read = Result<(Book, Vec<String>)>;

/// Reads everything; `got` is called on this thread with each page of
/// customers, then their end, and each page of billing rows, as they come.
pub fn read_all(
    client: &Client,
    now: i64,
    currency: &str,
    mut got: impl FnMut(Got) -> Result<()>,
) -> Result<Book> {
    let prices = read_prices(client)?;
    let prices = &prices;
    let fresh = || Book { full: true, from: i64::MIN, ..Book::default() };
    let failed = |r: Read| {
        if r.is_err() {
            client.stop();
        }
        r
    };
    let hand =
        |to: &std::sync::mpsc::Sender<Got>, g: Got| to.send(g).map_err(|_| anyhow::Error::from(Stopped));
    let (to, from) = std::sync::mpsc::channel::<Got>();
    let (customers, subs, invoices, wrote) = std::thread::scope(|sc| {
        let to_customers = to.clone();
        let customers = sc.spawn(move || {
            let mut book = fresh();
            let r = client.list("/customers", &[], |page: Vec<Customer>| {
                for cu in &page {
                    book.cursor.customers = book.cursor.customers.max(cu.created);
                    book.affected.insert(cu.id.clone());
                }
                hand(&to_customers, Got::Customers(page))
            });
            let r = r.and_then(|()| hand(&to_customers, Got::CustomersDone));
            failed(r.map(|()| (book, Vec::new())))
        });
        let subs = sc.spawn(move || {
            let (mut book, mut foreign) = (fresh(), Vec::new());
            let r = read_subs(
                client,
                &mut book,
                prices,
                &[("status", "all".into())],
                now,
                currency,
                &mut foreign,
            );
            failed(r.map(|()| (book, foreign)))
        });
        let invoices = sc.spawn(move || {
            let (mut book, mut foreign) = (fresh(), Vec::new());
            // Each page's invoices borrow their strings from its body.
            let mut each = |page: Vec<Invoice<'_>>| {
                for inv in &page {
                    add_invoice(&mut book, inv, prices, now, currency, &mut foreign);
                }
                hand(&to, Got::Bills(std::mem::take(&mut book.bills)))
            };
            let r = client.pages("/invoices", &[], |body| {
                client.page_read("/invoices", body, invoices::page, &mut each)
            });
            failed(r.map(|()| (book, foreign)))
        });
        // The write, beside the reads; after a failure the rest is let go.
        let mut wrote = Ok(());
        for g in from.iter() {
            if wrote.is_ok() {
                wrote = got(g);
                if wrote.is_err() {
                    client.stop();
                }
            }
        }
        let join = |h: std::thread::ScopedJoinHandle<'_, Read>| {
            h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
        };
        (join(customers), join(subs), join(invoices), wrote)
    });
    // The first list's own failure, not a sibling's stop; else the write's.
    let results = [customers, subs, invoices];
    if results.iter().any(Result::is_err) || wrote.is_err() {
        let mut errors: Vec<anyhow::Error> = results.into_iter().filter_map(Result::err).collect();
        if let Some(i) = errors.iter().position(|e| e.downcast_ref::<Stopped>().is_none()) {
            return Err(errors.swap_remove(i));
        }
        wrote?;
        return Err(errors.swap_remove(0));
    }
    let [(customers, _), (subs, mut foreign), (invoices, foreign_invoices)] =
        results.map(|r| r.unwrap_or_default());
    foreign.extend(foreign_invoices);
    refuse_foreign(&foreign, currency)?;
    let mut book = Book {
        full: true,
        from: i64::MIN,
        affected: customers.affected,
        subs: subs.subs,
        lines: invoices.lines,
        invoices_read: invoices.invoices_read,
        invoices_skipped: invoices.invoices_skipped,
        ..Book::default()
    };
    book.cursor = Cursor {
        customers: customers.cursor.customers,
        subscriptions: subs.cursor.subscriptions,
        invoices: invoices.cursor.invoices,
        events: 0,
    };
    book.cursor.events = book.cursor.customers.max(book.cursor.subscriptions).max(book.cursor.invoices);
    Ok(book)
}
