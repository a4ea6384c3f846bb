//! Money: integer minor units ("cents") in the database's currency (config
//! `currency`), a type of their own so that an amount never meets a count or
//! a ratio by accident, and shown as `$1,249.00`, `€49.00`, `¥4,900` or
//! `49.000 BHD`. The minor unit follows ISO 4217: JPY and KRW have none,
//! BHD, KWD and OMR have three decimals, most have two.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of money in integer cents of the book's currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// The amount in whole units (`4900` cents → `49.0`; `4900` yen → `4900.0`), for ratios and JSON numbers.
    pub fn units(self) -> f64 {
        self.0 as f64 / per_unit() as f64
    }

    /// The nearest minor units of an amount in whole units (`49.0` → `4900` cents).
    pub fn of_units(units: f64) -> Cents {
        Cents((units * per_unit() as f64).round() as i64)
    }

    /// Adds without overflowing (a sum of a whole book's MRR).
    pub fn saturating_add(self, other: Cents) -> Cents {
        Cents(self.0.saturating_add(other.0))
    }

    /// `self` as a share of `whole`, in percent; `None` when `whole` is not positive.
    pub fn percent_of(self, whole: Cents) -> Option<f64> {
        (whole.0 > 0).then(|| self.0 as f64 * 100.0 / whole.0 as f64)
    }
}

impl Add for Cents {
    type Output = Cents;
    fn add(self, o: Cents) -> Cents {
        Cents(self.0 + o.0)
    }
}

impl Sub for Cents {
    type Output = Cents;
    fn sub(self, o: Cents) -> Cents {
        Cents(self.0 - o.0)
    }
}

impl AddAssign for Cents {
    fn add_assign(&mut self, o: Cents) {
        self.0 += o.0;
    }
}

impl SubAssign for Cents {
    fn sub_assign(&mut self, o: Cents) {
        self.0 -= o.0;
    }
}

impl Neg for Cents {
    type Output = Cents;
    fn neg(self) -> Cents {
        Cents(-self.0)
    }
}

impl Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        iter.fold(Cents::ZERO, Add::add)
    }
}

static CURRENCY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The currency money is shown in (config `currency`), set once per run
/// when the database is opened; USD until then.
pub fn set_currency(code: &str) {
    let _ = CURRENCY.set(code.to_string());
}

/// The decimals of a currency's minor unit (ISO 4217).
pub fn decimals_of(code: &str) -> u32 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI"
        | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// The decimals of the book's currency.
pub fn decimals() -> u32 {
    decimals_of(CURRENCY.get().map_or("USD", String::as_str))
}

/// Minor units in one whole unit: 100 for USD, 1 for JPY, 1000 for BHD.
pub fn per_unit() -> i64 {
    10i64.pow(decimals())
}

/// Cents with the currency and thousands separators, for the eye: `$1,249.00`,
/// `-€12.50`, `¥4,900`, `49.00 CHF`; never a signed zero.
pub fn money_shown(cents: Cents) -> String {
    let code = CURRENCY.get().map_or("USD", String::as_str);
    let symbol = match code {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        _ => None,
    };
    let m = grouped(&money(cents));
    match (symbol, m.strip_prefix('-')) {
        (Some(s), Some(abs)) => format!("-{s}{abs}"),
        (Some(s), None) => format!("{s}{m}"),
        (None, _) => format!("{m} {code}"),
    }
}

/// `1234567.00` → `1,234,567.00`.
fn grouped(m: &str) -> String {
    let (sign, rest) = m.strip_prefix('-').map_or(("", m), |r| ("-", r));
    let (whole, frac) = rest.split_once('.').map_or((rest, None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// Minor units as a decimal string in the book's currency: `4900` → `49.00`,
/// `-1250` → `-12.50` (USD); `4900` → `4900` (JPY).
pub fn money(cents: Cents) -> String {
    let sign = if cents.0 < 0 { "-" } else { "" };
    let a = cents.0.unsigned_abs();
    let d = decimals();
    let p = 10u64.pow(d);
    match d {
        0 => format!("{sign}{a}"),
        _ => format!("{sign}{}.{:0width$}", a / p, a % p, width = d as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_and_minor_units() {
        assert_eq!(grouped("1234567.00"), "1,234,567.00");
        assert_eq!(grouped("-1000.50"), "-1,000.50");
        assert_eq!(grouped("999.99"), "999.99");
        assert_eq!(grouped("4900"), "4,900");
        assert_eq!(
            (decimals_of("JPY"), decimals_of("KRW"), decimals_of("BHD"), decimals_of("EUR")),
            (0, 0, 3, 2)
        );
    }
}
