//! Value parsers shared by import and the command line: money, integers.
//! Errors are fragments that follow `column "x": "value" `.

use crate::money::Cents;

/// The largest amount csf stores, in cents: 1,000,000,000.00 either way
/// (sums of many such amounts still fit an i64).
pub const MAX_MONEY_CENTS: i64 = 100_000_000_000;

/// The largest usage `count` of one row (sums of many still fit an i64).
pub const MAX_COUNT: i64 = 1_000_000_000;

/// Parses money into integer cents: `49`, `49.00`, `-12.5`, `$49.00`, `€49`,
/// `49.00 USD`, `1,299.00`. Never goes through a float; at most
/// [`MAX_MONEY_CENTS`] either way.
pub fn parse_money(s: &str) -> Result<Cents, String> {
    let bad = || {
        "is not an amount of money; use a number such as 49.00, optionally with $, €, £ \
         or a trailing currency code (49.00 USD)"
            .to_string()
    };
    let too_large =
        || "is above the limit of 1,000,000,000.00 (either way); check the column or the amount".to_string();
    let mut t = s.trim();
    if t.is_empty() {
        return Err("is empty; expected an amount such as 49.00".into());
    }
    // A trailing ISO 4217 code.
    if let Some((num, code)) = t.rsplit_once(' ') {
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
            t = num.trim();
        }
    }
    let (neg, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r.trim_start()),
        None => (false, t),
    };
    let rest = rest
        .strip_prefix('$')
        .or_else(|| rest.strip_prefix('€'))
        .or_else(|| rest.strip_prefix('£'))
        .unwrap_or(rest);
    let (neg, rest) = match rest.strip_prefix('-') {
        Some(r) if !neg => (true, r),
        Some(_) => return Err(bad()),
        None => (neg, rest),
    };
    let (whole, frac) = match rest.split_once('.') {
        Some((w, f)) => (w, f),
        None => (rest, ""),
    };
    // Thousands separators only in well-formed groups: 1,299 but not 12,99.
    let whole_digits: String = if whole.contains(',') {
        let groups: Vec<&str> = whole.split(',').collect();
        let ok = !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return Err(bad());
        }
        groups.concat()
    } else {
        whole.to_string()
    };
    // The minor unit of the book's currency: 2 decimals for USD, 0 for JPY, 3 for BHD.
    let d = crate::money::decimals() as usize;
    if whole_digits.is_empty() && frac.is_empty()
        || !whole_digits.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > d && frac[d..].bytes().any(|b| b != b'0')
    {
        return Err(bad());
    }
    let units: i64 =
        if whole_digits.is_empty() { 0 } else { whole_digits.parse().map_err(|_| too_large())? };
    let mut cents_part = frac.bytes().take(d).fold(0i64, |a, b| a * 10 + i64::from(b - b'0'));
    for _ in frac.len().min(d)..d {
        cents_part *= 10;
    }
    let cents = units
        .checked_mul(crate::money::per_unit())
        .and_then(|c| c.checked_add(cents_part))
        .ok_or_else(too_large)?;
    if cents > MAX_MONEY_CENTS {
        return Err(too_large());
    }
    Ok(Cents(if neg { -cents } else { cents }))
}

/// Parses an MRR: money (as [`parse_money`]) that is not negative and, when
/// it names a currency by symbol or code, names `currency` (config `currency`).
pub fn parse_mrr(s: &str, currency: &str) -> Result<Cents, String> {
    let cents = parse_money(s)?;
    if cents < Cents::ZERO {
        return Err("is negative; MRR is what a customer pays each month, 0 or more".into());
    }
    let t = s.trim();
    let named = if let Some((_, code)) =
        t.rsplit_once(' ').filter(|(_, c)| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        Some(code.to_ascii_uppercase())
    } else {
        [('$', "USD"), ('€', "EUR"), ('£', "GBP")]
            .iter()
            .find(|(sym, _)| t.trim_start_matches('-').starts_with(*sym))
            .map(|(_, code)| code.to_string())
    };
    match named {
        Some(code) if !code.eq_ignore_ascii_case(currency) => Err(format!(
            "is in {code}, but this database counts money in {currency} (config currency); convert the amount, \
             or `csf config set currency {code}` if all your prices are in {code}"
        )),
        _ => Ok(cents),
    }
}

/// An integer within `lo..=hi`; `what` names the range in the error.
pub fn parse_int_in(s: &str, lo: i64, hi: i64) -> Result<i64, String> {
    match s.trim().parse::<i64>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(v),
        _ => Err(format!("is not an integer from {lo} to {hi}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_mrr_is_never_negative_and_in_the_databases_currency() {
        assert_eq!(parse_mrr("49", "USD"), Ok(Cents(4_900)));
        assert_eq!(parse_mrr("$49.00", "USD"), Ok(Cents(4_900)));
        assert_eq!(parse_mrr("49.00 usd", "USD"), Ok(Cents(4_900)));
        assert_eq!(parse_mrr("€49", "EUR"), Ok(Cents(4_900)));
        assert!(parse_mrr("-3000000", "USD").unwrap_err().contains("is negative"));
        assert!(parse_mrr("€49", "USD")
            .unwrap_err()
            .contains("is in EUR, but this database counts money in USD"));
        assert!(parse_mrr("49 GBP", "USD").unwrap_err().contains("is in GBP"));
    }

    #[test]
    fn money_forms() {
        for (s, c) in [
            ("49", 4900),
            ("49.00", 4900),
            ("-12.5", -1250),
            ("$49.00", 4900),
            ("€49", 4900),
            ("£0.99", 99),
            ("49.00 USD", 4900),
            ("-$5.25", -525),
            ("$-5.25", -525),
            ("1,299.00", 129_900),
            (" 7 ", 700),
            (".5", 50),
            ("10.500", 1050),
        ] {
            assert_eq!(parse_money(s), Ok(Cents(c)), "{s}");
        }
    }

    #[test]
    fn bad_money_is_refused() {
        for s in ["", "abc", "12,99", "1.234", "$", "--5", "1e3", "49.00 US", "NaN"] {
            assert!(parse_money(s).is_err(), "{s}");
        }
    }

    #[test]
    fn int_ranges() {
        assert_eq!(parse_int_in("10", 0, 10), Ok(10));
        assert!(parse_int_in("11", 0, 10).unwrap_err().contains("from 0 to 10"));
        assert!(parse_int_in("7.5", 0, 10).is_err());
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;
    use crate::render::money;

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse_money(&s);
        }

        /// Printed amounts parse back to the same cents, with or without symbols and codes.
        #[test]
        fn printed_amounts_round_trip(c in -MAX_MONEY_CENTS..=MAX_MONEY_CENTS) {
            let s = money(Cents(c));
            prop_assert_eq!(parse_money(&s), Ok(Cents(c)));
            prop_assert_eq!(parse_money(&format!("{s} EUR")), Ok(Cents(c)));
            let sym = if c < 0 { format!("-${}", &s[1..]) } else { format!("${s}") };
            prop_assert_eq!(parse_money(&sym), Ok(Cents(c)));
        }

        /// Beyond the limit is an error naming it, never a wrapped number.
        #[test]
        fn amounts_beyond_the_limit_are_refused(c in MAX_MONEY_CENTS + 1..=i64::MAX) {
            prop_assert!(parse_money(&money(Cents(c))).unwrap_err().contains("limit of 1,000,000,000.00"));
            prop_assert!(parse_money(&money(Cents(-c))).unwrap_err().contains("limit of 1,000,000,000.00"));
        }
    }
}
