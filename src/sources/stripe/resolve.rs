//! Host names resolved once per run. ureq resolves the host before every
//! request, even one sent on a kept-alive connection, and with a timeout it
//! does so on a new thread each time: three hundred pages meant three
//! hundred threads and DNS lookups. Here an IP address is taken as it is,
//! and a name is looked up (with ureq's own resolver and its timeout) the
//! first time only; a failed lookup is not kept, so the next request tries
//! again.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

#[derive(Debug, Default)]
pub struct OnceResolver {
    lookup: DefaultResolver,
    known: Mutex<HashMap<(String, u16), ResolvedSocketAddrs>>,
}

impl Resolver for OnceResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some((host, port)) = host_port(uri) else { return self.lookup.resolve(uri, config, timeout) };
        if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            let mut one = self.empty();
            one.push(SocketAddr::new(ip, port));
            return Ok(one);
        }
        let key = (host.to_ascii_lowercase(), port);
        if let Some(addrs) = self.known.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return Ok(addrs.clone());
        }
        let addrs = self.lookup.resolve(uri, config, timeout)?;
        self.known.lock().unwrap_or_else(|p| p.into_inner()).insert(key, addrs.clone());
        Ok(addrs)
    }
}

/// The host and port a request goes to; None when the URI has no host, or
/// a scheme other than http(s) without a port (ureq's resolver then answers).
fn host_port(uri: &Uri) -> Option<(&str, u16)> {
    let authority = uri.authority()?;
    let port = match (authority.port_u16(), uri.scheme_str()) {
        (Some(p), _) => p,
        (None, Some("https")) => 443,
        (None, Some("http")) => 80,
        _ => return None,
    };
    Some((authority.host(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(r: &OnceResolver, url: &str) -> Vec<SocketAddr> {
        let uri: Uri = url.parse().unwrap();
        let config = Config::default();
        let t = NextTimeout {
            after: ureq::unversioned::transport::time::Duration::NotHappening,
            reason: ureq::Timeout::Resolve,
            per_read: None,
            per_write: None,
        };
        r.resolve(&uri, &config, t).unwrap().iter().copied().collect()
    }

    #[test]
    fn addresses_are_taken_as_they_are_and_names_looked_up_once() {
        let r = OnceResolver::default();
        assert_eq!(resolve(&r, "http://127.0.0.1:4242/v1/invoices"), ["127.0.0.1:4242".parse().unwrap()]);
        assert_eq!(resolve(&r, "https://[::1]/v1"), ["[::1]:443".parse().unwrap()]);
        assert_eq!(resolve(&r, "http://10.1.2.3/v1"), ["10.1.2.3:80".parse().unwrap()]);
        assert!(r.known.lock().unwrap().is_empty(), "no lookup for an address");
        let first = resolve(&r, "http://localhost:4242/v1");
        assert!(first.iter().all(|a| a.ip().is_loopback() && a.port() == 4242), "{first:?}");
        assert_eq!(r.known.lock().unwrap().len(), 1);
        assert_eq!(resolve(&r, "http://LOCALHOST:4242/v1/customers"), first);
        assert_eq!(r.known.lock().unwrap().len(), 1, "the second request reuses the first lookup");
    }
}
