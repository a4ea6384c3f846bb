//! Where the Stripe key comes from: `STRIPE_API_KEY`, else the file named by
//! config `stripe.key_file` (a regular file, mode 0600 or stricter). The key
//! is never stored, printed or put in an error (at most its last 4 characters).

use anyhow::{bail, Context, Result};

use crate::domain::settings::Settings;

pub fn configured(settings: &Settings) -> bool {
    std::env::var_os("STRIPE_API_KEY").is_some_and(|v| !v.is_empty()) || settings.is_set("stripe.key_file")
}

/// The key, checked for shape (a Stripe secret or restricted key has no spaces).
pub fn load(settings: &Settings) -> Result<String> {
    let key = match std::env::var("STRIPE_API_KEY") {
        Ok(k) if !k.trim().is_empty() => k.trim().to_string(),
        _ => match settings.get("stripe.key_file") {
            Some(path) => from_file(&path)?,
            None => bail!(
                "no Stripe key: set STRIPE_API_KEY (a restricted read-only key is enough), or \
                 `csf config set stripe.key_file PATH` naming a file of mode 0600 that holds it"
            ),
        },
    };
    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        bail!("the Stripe key has spaces or control characters in it; copy it again from the dashboard");
    }
    Ok(key)
}

fn from_file(path: &str) -> Result<String> {
    let meta = std::fs::symlink_metadata(path)
        .with_context(|| format!("cannot read the Stripe key file {path} (config stripe.key_file)"))?;
    if !meta.file_type().is_file() {
        bail!("the Stripe key file {path} is not a regular file; point config stripe.key_file at the file itself");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            bail!(
                "the Stripe key file {path} can be read by others (mode {mode:04o}); \
                 run `chmod 600 {path}` and sync again"
            );
        }
        // The file must be the user's own (the owner of /proc/self is this process's user).
        let uid = meta.uid();
        let me = std::fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(uid);
        if uid != me {
            bail!("the Stripe key file {path} belongs to another user; keep your key in a file of your own");
        }
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the Stripe key file {path} (config stripe.key_file)"))?;
    let key = text.trim();
    if key.is_empty() {
        bail!("the Stripe key file {path} is empty; put the key on its first line");
    }
    Ok(key.to_string())
}

/// The API base: config `stripe.api_base`, checked again (a value set by
/// hand in the database may be anything).
pub fn api_base(settings: &Settings) -> Result<String> {
    let base = settings.get("stripe.api_base").unwrap_or_else(|| super::client::DEFAULT_BASE.to_string());
    crate::domain::settings::check_api_base(&base)
        .map_err(|m| anyhow::anyhow!("config stripe.api_base: {m}"))?;
    Ok(base)
}
