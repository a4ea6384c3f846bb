//! Money: integer cents in the database's currency (config `currency`),
//! a type of their own so that an amount never meets a count or a ratio by
//! accident, and shown as `$49.00`, `€49.00` or `49.00 CHF`.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of money in integer cents of the book's currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// The amount in whole units (`4900` cents → `49.0`), for ratios and JSON numbers.
    pub fn units(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// The nearest cents of an amount in whole units (`49.0` → `4900`).
    pub fn of_units(units: f64) -> Cents {
        Cents((units * 100.0).round() as i64)
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

/// Cents with the currency, for the eye: `$49.00`, `€-12.50` → `-€12.50`, `49.00 CHF`.
pub fn money_shown(cents: Cents) -> String {
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
pub fn money(cents: Cents) -> String {
    let sign = if cents.0 < 0 { "-" } else { "" };
    let a = cents.0.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}
