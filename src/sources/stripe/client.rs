//! The only file that knows HTTP: Stripe's key, its pinned API version,
//! retries with backoff, and list paging (`limit=100`, `starting_after`).
//! Pages are parsed one at a time and handed on, so memory stays flat.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Result};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::cursor;
use super::objects::{List, Listed};
use super::resolve::OnceResolver;
use ureq::unversioned::transport::DefaultConnector;

/// The object shape csf reads: invoice lines with `parent` and `pricing`,
/// subscription items with their periods.
pub const STRIPE_VERSION: &str = "2025-03-31.basil";
pub const DEFAULT_BASE: &str = "https://api.stripe.com/v1";
const TRIES: u32 = 5;
const TIMEOUT: Duration = Duration::from_secs(30);
/// A page larger than this is not a Stripe list page.
const MAX_BODY: u64 = 256 * 1024 * 1024;

/// Told after each page: the endpoint and the requests made so far
/// (lists are read on several threads at once).
pub type Progress = Arc<dyn Fn(&str, u64) + Send + Sync>;

/// A list read stopped before its next request because another list of the
/// same run failed: that failure is the one reported.
#[derive(Debug)]
pub struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped: another Stripe list failed")
    }
}

impl std::error::Error for Stopped {}

/// Shared by the threads reading lists at once (`list` takes `&self`).
pub struct Client {
    agent: ureq::Agent,
    base: String,
    key: String,
    /// The first backoff delay (doubled each try); `CSF_STRIPE_RETRY_MS` shortens it for tests.
    base_delay: Duration,
    /// HTTP requests made, retries included, by every thread.
    requests: Arc<AtomicU64>,
    /// Set when one list failed: its siblings stop before their next request.
    stop: Arc<AtomicBool>,
    /// Called after each page with the endpoint and the running request count.
    pub progress: Option<Progress>,
}

impl Client {
    pub fn new(base: &str, key: String) -> Client {
        let config =
            ureq::Agent::config_builder().timeout_global(Some(TIMEOUT)).http_status_as_error(false).build();
        let agent = ureq::Agent::with_parts(config, DefaultConnector::default(), OnceResolver::default());
        let ms = std::env::var("CSF_STRIPE_RETRY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
        Client {
            agent,
            base: base.trim_end_matches('/').to_string(),
            key,
            base_delay: Duration::from_millis(ms),
            requests: Arc::new(AtomicU64::new(0)),
            stop: Arc::new(AtomicBool::new(false)),
            progress: None,
        }
    }

    /// HTTP requests made so far, retries included, by every thread.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Tells the clones reading other lists to stop (this run has failed).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// The key as it may be shown: its last 4 characters.
    fn key_hint(&self) -> String {
        let n = self.key.chars().count();
        let tail: String = self.key.chars().skip(n.saturating_sub(4)).collect();
        format!("…{tail}")
    }

    /// A message from Stripe (or a test server) with the key, if echoed, masked.
    fn scrub(&self, s: &str) -> String {
        if self.key.is_empty() {
            s.to_string()
        } else {
            s.replace(&self.key, &self.key_hint())
        }
    }

    /// GET `path` with `query` (already encoded pairs): the body of a 200
    /// read into `buf` (reused from page to page) and its length, after up
    /// to 5 tries on 429, 5xx and broken connections.
    fn get(&self, path: &str, query: &[(String, String)], buf: &mut Vec<u8>) -> Result<usize> {
        let mut url = format!("{}{}", self.base, path);
        for (i, (k, v)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            url.push_str(v);
        }
        let endpoint = format!("GET /v1{path}");
        let mut last = String::new();
        for attempt in 1..=TRIES {
            if self.stopped() {
                return Err(Stopped.into());
            }
            self.requests.fetch_add(1, Ordering::Relaxed);
            let sent = self
                .agent
                .get(&url)
                .header("Authorization", &format!("Bearer {}", self.key))
                .header("Stripe-Version", STRIPE_VERSION)
                .call();
            let mut retry_after = None;
            match sent {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    retry_after = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    let body = resp.body_mut().with_config().limit(MAX_BODY);
                    let body = if status == 200 {
                        read_into(body.reader(), buf).map(|n| (n, Vec::new())).map_err(|e| e.to_string())
                    } else {
                        body.read_to_vec().map(|b| (0, b)).map_err(|e| e.to_string())
                    };
                    match (status, body) {
                        (200, Ok((n, _))) => return Ok(n),
                        (200, Err(e)) => last = format!("the connection broke mid-answer ({e})"),
                        (401, _) => bail!(
                            "Stripe refused the API key ending in {} ({endpoint}: 401 Unauthorized); \
                             check STRIPE_API_KEY or the file named by config stripe.key_file",
                            self.key_hint()
                        ),
                        (403, _) => bail!(
                            "the API key ending in {} may not read {} ({endpoint}: 403 Forbidden); give the \
                             restricted key the \"{}\" read permission (docs/sync.md lists them all)",
                            self.key_hint(),
                            resource(path),
                            permission(path)
                        ),
                        (429, _) => last = "429 Too Many Requests".into(),
                        (s @ 500..=599, _) => last = format!("{s} (a server error)"),
                        (s, b) => {
                            let msg = b.ok().and_then(|(_, b)| stripe_message(&b)).unwrap_or_default();
                            bail!("Stripe answered {s} to {endpoint}{}", self.scrub(&msg));
                        }
                    }
                }
                Err(e) => last = format!("no answer ({})", self.scrub(&e.to_string())),
            }
            if attempt < TRIES {
                std::thread::sleep(self.delay(attempt, retry_after));
            }
        }
        bail!("{endpoint} failed {TRIES} times, the last with {last}; try again later")
    }

    /// Exponential backoff with jitter; never shorter than `Retry-After`.
    fn delay(&self, attempt: u32, retry_after: Option<u64>) -> Duration {
        let exp = self.base_delay * 2u32.pow(attempt - 1);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let jitter = self.base_delay.mul_f64(f64::from(nanos % 1000) / 1000.0);
        let wait = exp + jitter;
        match retry_after {
            Some(s) => wait.max(Duration::from_secs(s.min(60))),
            None => wait,
        }
    }

    /// Reads every page of a list, oldest-first order not guaranteed (Stripe
    /// lists newest first), handing each page's objects to `each`.
    pub fn list<T: DeserializeOwned + Listed>(
        &self,
        path: &str,
        params: &[(&str, String)],
        mut each: impl FnMut(Vec<T>) -> Result<()>,
    ) -> Result<()> {
        self.pages(path, params, |body| self.page(path, body, &mut each))
    }

    /// Reads every page of a list, handing each page's body to `page`, which
    /// parses it ([`Client::page`]) and returns its `has_more` and last id. A
    /// paging thread asks for the next page as soon as a quick pass over the
    /// bytes finds where it starts ([`cursor::scan`]), while this one parses;
    /// the parse checks the quick pass, and a page it is unsure of is
    /// followed here. Bodies are read into a few buffers used in turn.
    pub fn pages(
        &self,
        path: &str,
        params: &[(&str, String)],
        mut page: impl FnMut(&[u8]) -> Result<Next>,
    ) -> Result<()> {
        let query = |after: &Option<String>| {
            let mut q: Vec<(String, String)> = vec![("limit".into(), "100".into())];
            q.extend(params.iter().map(|(k, v)| (encode(k), encode(v))));
            if let Some(a) = after {
                q.push(("starting_after".into(), encode(a)));
            }
            q
        };
        std::thread::scope(|sc| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<u8>, usize, Option<Next>)>(1);
            let (free, freed) = std::sync::mpsc::channel::<Vec<u8>>();
            let pager = sc.spawn(move || -> Result<()> {
                let mut after: Option<String> = None;
                loop {
                    let mut buf = freed.try_recv().unwrap_or_default();
                    let n = self.get(path, &query(&after), &mut buf)?;
                    let next = cursor::scan(&buf[..n]);
                    let go = match &next {
                        Some((true, Some(id))) => Some(id.clone()),
                        _ => None,
                    };
                    if tx.send((buf, n, next)).is_err() || go.is_none() {
                        return Ok(());
                    }
                    after = go;
                }
            });
            let mut after: Option<String> = None;
            let mut unsure = false;
            for (buf, n, next) in rx.iter() {
                let (more, last) = page(&buf[..n])?;
                // The quick pass misread the page (it reads only its ends): what the
                // pager asked for next is let go, and paging goes on from the parse.
                unsure = next.as_ref().is_none_or(|n| *n != (more, last.clone()));
                after = last.filter(|_| more);
                let _ = free.send(buf);
                if next.is_some() && unsure {
                    break;
                }
            }
            drop(rx);
            let paged = pager.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            // The quick pass was unsure of the last page: the rest are asked for from here.
            if !unsure {
                paged?;
                after = None;
            }
            let mut buf = Vec::new();
            while let Some(a) = after.take() {
                let n = self.get(path, &query(&Some(a)), &mut buf)?;
                let (more, last) = page(&buf[..n])?;
                after = last.filter(|_| more);
            }
            Ok(())
        })
    }

    /// One page parsed and handed on: its `has_more` and last id. The
    /// objects may borrow from the body (`T` with `&'a str` fields).
    pub fn page<'a, T: Deserialize<'a> + Listed>(
        &self,
        path: &str,
        body: &'a [u8],
        each: &mut impl FnMut(Vec<T>) -> Result<()>,
    ) -> Result<Next> {
        self.page_read(path, body, |_| None, each)
    }

    /// [`Client::page`], with a quicker reader tried first: serde_json
    /// reads the page when it answers `None`.
    pub fn page_read<'a, T: Deserialize<'a> + Listed>(
        &self,
        path: &str,
        body: &'a [u8],
        quick: impl FnOnce(&'a str) -> Option<List<T>>,
        each: &mut impl FnMut(Vec<T>) -> Result<()>,
    ) -> Result<Next> {
        // The page is checked as UTF-8 once, in one pass: serde_json's reader
        // of a `&[u8]` checks every string and key on its own, which costs more.
        let not_a_list = |e: &dyn std::fmt::Display| {
            anyhow!(
                "GET /v1{path} answered with a body that is not a Stripe list ({e}); \
                 is stripe.api_base pointing at Stripe's API?"
            )
        };
        let text = std::str::from_utf8(body).map_err(|e| not_a_list(&e))?;
        let page = match quick(text) {
            Some(page) => page,
            None => serde_json::from_str::<List<T>>(text).map_err(|e| not_a_list(&e))?,
        };
        let next = (page.has_more, page.data.last().map(|o| o.id().to_string()));
        if let Some(p) = &self.progress {
            p(path, self.requests());
        }
        each(page.data)?;
        Ok(next)
    }
}

/// A page's `has_more` and last id.
pub type Next = (bool, Option<String>);

/// Percent-encodes a query key or value (`expand[]` → `expand%5B%5D`).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reads a body into `buf` from its start, growing it as needed; its
/// length. The buffer stays initialised, so a reused one costs no zeroing.
fn read_into(mut r: impl std::io::Read, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut n = 0;
    loop {
        if n == buf.len() {
            buf.resize((2 * buf.len()).max(64 * 1024), 0);
        }
        match r.read(&mut buf[n..]) {
            Ok(0) => return Ok(n),
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// `: message` from a Stripe error body, if it has one.
fn stripe_message(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let m = v.get("error")?.get("message")?.as_str()?;
    Some(format!(": {m}"))
}

fn resource(path: &str) -> &str {
    path.trim_start_matches('/').split('/').next().unwrap_or(path)
}

/// The restricted key's permission for an endpoint, as Stripe's dashboard names it.
fn permission(path: &str) -> &'static str {
    match resource(path) {
        "customers" => "Customers",
        "subscriptions" => "Subscriptions",
        "invoices" => "Invoices",
        "prices" | "products" => "Products",
        "events" => "Events",
        _ => "read",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_and_spaces_are_encoded() {
        assert_eq!(encode("expand[]"), "expand%5B%5D");
        assert_eq!(encode("data.discounts"), "data.discounts");
        assert_eq!(encode("a b"), "a%20b");
    }

    #[test]
    fn the_key_is_shown_by_its_last_four_characters_only() {
        let c = Client::new("http://127.0.0.1:1", "sk_test_abcdef1234".into());
        assert_eq!(c.key_hint(), "…1234");
        assert_eq!(
            c.scrub("Invalid API Key provided: sk_test_abcdef1234"),
            "Invalid API Key provided: …1234"
        );
    }

    #[test]
    fn permissions_are_named_per_endpoint() {
        assert_eq!(permission("/invoices"), "Invoices");
        assert_eq!(permission("/subscriptions"), "Subscriptions");
        assert_eq!(permission("/events"), "Events");
    }
}
