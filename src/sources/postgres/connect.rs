//! The connection: the URL from the environment or a 0600 file (never
//! stored, never printed: `***` for the password), `sslmode` as libpq reads
//! it with TLS through rustls, and one limit over connecting, TLS and login.

use std::sync::{mpsc, Arc};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use postgres::config::{Host, SslMode};
use postgres::{Client, Config};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::domain::settings::Settings;

/// Connecting, TLS and authentication together.
pub const LIMIT: Duration = Duration::from_secs(10);

/// The URL as read, and how it may be shown.
pub struct Url {
    config: Config,
    ssl: Ssl,
    /// The URL with its password as `***`.
    pub shown: String,
    password: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ssl {
    Disable,
    Prefer,
    Require,
    VerifyFull,
}

/// Whether a URL is configured at all.
pub fn configured(settings: &Settings) -> bool {
    settings.get("postgres.url_env").is_some() || settings.get("postgres.url_file").is_some()
}

/// Reads the URL from the variable named by `postgres.url_env`, else the file named by `postgres.url_file`.
pub fn url(settings: &Settings) -> Result<Url> {
    let raw = if let Some(var) = settings.get("postgres.url_env") {
        std::env::var(&var).map_err(|_| {
            anyhow!(
                "the environment variable {var} (config postgres.url_env) is not set — export it with the \
                 URL, e.g. {var}='postgres://csf_reader:…@db.example.com/app?sslmode=require'"
            )
        })?
    } else if let Some(path) = settings.get("postgres.url_file") {
        read_file(&path)?
    } else {
        bail!(
            "no PostgreSQL URL: set config postgres.url_env to the name of an environment variable holding \
             it (csf config set postgres.url_env CSF_PG_URL), or postgres.url_file to a 0600 file"
        );
    };
    parse(raw.trim())
}

/// The URL file: a regular file of mode 0600 or stricter.
fn read_file(path: &str) -> Result<String> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("could not read {path} (config postgres.url_file); check the path"))?;
    if !meta.is_file() {
        bail!("{path} (config postgres.url_file) is not a regular file; put the URL in a file of its own");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            bail!(
                "{path} (config postgres.url_file) is readable by others (mode {mode:03o}); it holds a \
                 password — run chmod 600 {path}"
            );
        }
    }
    std::fs::read_to_string(path).with_context(|| format!("could not read {path} (config postgres.url_file)"))
}

/// Parses the URL (or libpq's `key=value` form), taking `sslmode` out
/// first: libpq's `verify-full` is read here, not by the driver.
fn parse(raw: &str) -> Result<Url> {
    let (rest, mode) = take_param(raw, "sslmode");
    let ssl = match mode.as_deref() {
        None | Some("prefer") => Ssl::Prefer,
        Some("disable") => Ssl::Disable,
        Some("require") => Ssl::Require,
        Some("verify-full") => Ssl::VerifyFull,
        Some(other) => bail!(
            "sslmode={other} is not supported; use disable, prefer, require or verify-full (in {})",
            redact(raw, None)
        ),
    };
    let mut config: Config = rest.parse().map_err(|e| {
        anyhow!(
            "the PostgreSQL URL {} is not valid: {e} — expected postgres://user:password@host:port/db",
            redact(raw, None)
        )
    })?;
    let password = config.get_password().map(|p| String::from_utf8_lossy(p).into_owned());
    config.ssl_mode(if ssl == Ssl::Disable {
        SslMode::Disable
    } else if ssl == Ssl::Prefer {
        SslMode::Prefer
    } else {
        SslMode::Require
    });
    config.connect_timeout(LIMIT).application_name("csf");
    let shown = redact(raw, password.as_deref());
    Ok(Url { config, ssl, shown, password })
}

/// `raw` without the parameter `name`, and its value (URL `?a=b&…` or `key=value` words).
fn take_param(raw: &str, name: &str) -> (String, Option<String>) {
    let prefix = format!("{name}=");
    if raw.contains("://") {
        let Some((base, query)) = raw.split_once('?') else { return (raw.to_string(), None) };
        let mut value = None;
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| match p.strip_prefix(&prefix) {
                Some(v) => {
                    value = Some(v.to_string());
                    false
                }
                None => true,
            })
            .collect();
        let url = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
        (url, value)
    } else {
        let mut value = None;
        let kept: Vec<&str> = raw
            .split_whitespace()
            .filter(|w| match w.strip_prefix(&prefix) {
                Some(v) => {
                    value = Some(v.trim_matches('\'').to_string());
                    false
                }
                None => true,
            })
            .collect();
        (kept.join(" "), value)
    }
}

/// The URL with its password replaced by `***`, wherever it is
/// (`user:password@`, `?password=`, `password=` or the parsed value).
pub fn redact(raw: &str, password: Option<&str>) -> String {
    let mut s = raw.to_string();
    if let Some(scheme_end) = s.find("://") {
        let auth_start = scheme_end + 3;
        let auth_end = s[auth_start..].find(['/', '?']).map_or(s.len(), |i| auth_start + i);
        if let Some(at) = s[auth_start..auth_end].rfind('@') {
            if let Some(colon) = s[auth_start..auth_start + at].find(':') {
                s.replace_range(auth_start + colon + 1..auth_start + at, "***");
            }
        }
    }
    let mut out = String::with_capacity(s.len());
    for (i, part) in s.split("password=").enumerate() {
        if i == 0 {
            out.push_str(part);
            continue;
        }
        out.push_str("password=***");
        out.push_str(&part[part.find(['&', ' ']).unwrap_or(part.len())..]);
    }
    match password {
        Some(p) if !p.is_empty() => out.replace(p, "***"),
        _ => out,
    }
}

impl Url {
    /// `host:port` as the error messages name it.
    pub fn address(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            #[cfg(unix)]
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "localhost".into(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        format!("{host}:{port}")
    }

    /// A message of the driver's with the password (if it ever appears) hidden.
    pub fn hide(&self, message: &str) -> String {
        match &self.password {
            Some(p) if !p.is_empty() => message.replace(p.as_str(), "***"),
            _ => message.to_string(),
        }
    }

    /// Connects within [`LIMIT`]; the session's TimeZone is UTC.
    pub fn connect(&self) -> Result<Client> {
        let tls = MakeRustlsConnect::new(tls_config(self.ssl)?);
        let config = self.config.clone();
        let (tx, rx) = mpsc::sync_channel(1);
        // The driver's own timeout covers the TCP connect only; a server that
        // accepts and never answers would hold TLS or the login forever. The
        // attempt runs on a thread of its own, and is abandoned at the limit
        // (the process ends with the error; the thread goes with it).
        std::thread::spawn(move || {
            let _ = tx.send(config.connect(tls));
        });
        let addr = self.address();
        let mut client = match rx.recv_timeout(LIMIT) {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => bail!(
                "could not connect to PostgreSQL at {addr}: {} — check the URL ({}), that the server is up, \
                 and the role's password",
                self.hide(&describe(&e)),
                self.shown
            ),
            Err(_) => bail!(
                "PostgreSQL at {addr} did not answer within {} s (connecting, TLS and login) — check the host \
                 and port in the URL ({}) and that the server is up",
                LIMIT.as_secs(),
                self.shown
            ),
        };
        client.batch_execute("SET TimeZone = 'UTC'").map_err(|e| {
            anyhow!("PostgreSQL at {addr} refused SET TimeZone = 'UTC': {}", self.hide(&e.to_string()))
        })?;
        Ok(client)
    }
}

/// The driver's error in words: the server's own message when it sent one.
pub fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

/// rustls with the ring provider: no certificate check for `prefer` and
/// `require` (as libpq without a root certificate), the system's roots and
/// the host name for `verify-full`.
// ring is deprecated in rustls 0.23.48 only for lacking post-quantum key
// exchange; it builds with a C compiler alone (aws-lc-rs needs CMake).
#[allow(deprecated)]
fn tls_config(ssl: Ssl) -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .context("TLS set-up failed")?;
    if ssl != Ssl::VerifyFull {
        return Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
            .with_no_client_auth());
    }
    let found = rustls_native_certs::load_native_certs();
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(found.certs);
    if roots.is_empty() {
        bail!(
            "sslmode=verify-full needs the system's root certificates, and none were found (install the \
             ca-certificates package, or set SSL_CERT_FILE to a PEM bundle)"
        );
    }
    Ok(builder.with_root_certificates(roots).with_no_client_auth())
}

/// `sslmode=require` as libpq reads it: encrypted, the certificate not checked
/// (signatures still are, so the handshake is sound).
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_shown() {
        let p = |u: &str| parse(u).unwrap();
        let u = p("postgres://csf:s3cr%40t@db.example.com:6543/app?sslmode=require");
        assert_eq!(u.shown, "postgres://csf:***@db.example.com:6543/app?sslmode=require");
        assert_eq!((u.address(), u.ssl), ("db.example.com:6543".to_string(), Ssl::Require));
        assert_eq!(u.hide("auth failed for s3cr@t"), "auth failed for ***");
        let u = p("host=127.0.0.1 port=5433 user=csf password=hunter2 dbname=app sslmode=verify-full");
        assert_eq!(u.shown, "host=127.0.0.1 port=5433 user=csf password=*** dbname=app sslmode=verify-full");
        assert_eq!((u.address(), u.ssl), ("127.0.0.1:5433".to_string(), Ssl::VerifyFull));
        assert_eq!(
            redact("postgresql://u@h/d?password=x&sslmode=disable", None),
            "postgresql://u@h/d?password=***&sslmode=disable"
        );
        assert_eq!(p("postgres://u@h/d").ssl, Ssl::Prefer);
        let e = parse("postgres://u:pw@h/d?sslmode=verify-ca").err().unwrap().to_string();
        assert!(e.contains("verify-full") && !e.contains("pw@"), "{e}");
    }
}
