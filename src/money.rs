//! Money for the eye: integer cents in the database's currency (config
//! `currency`), shown as `$49.00`, `€49.00` or `49.00 CHF`.

static CURRENCY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The currency money is shown in (config `currency`), set once per run
/// when the database is opened; USD until then.
pub fn set_currency(code: &str) {
    let _ = CURRENCY.set(code.to_string());
}

/// Cents with the currency, for the eye: `$49.00`, `€-12.50` → `-€12.50`, `49.00 CHF`.
pub fn money_shown(cents: i64) -> String {
    let code = CURRENCY.get().map_or("USD", String::as_str);
    let symbol = match code {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        _ => None,
    };
    let m = money(cents);
    match (symbol, m.strip_prefix('-')) {
        (Some(s), Some(abs)) => format!("-{s}{abs}"),
        (Some(s), None) => format!("{s}{m}"),
        (None, _) => format!("{m} {code}"),
    }
}

/// Cents as a decimal string: `4900` → `49.00`, `-1250` → `-12.50`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let a = cents.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}
