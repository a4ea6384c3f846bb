//! Result columns and their values: which SQL types csf reads, and each
//! binary value as the text the import's writer reads (a timestamp as
//! `2026-06-01T00:01:15Z`, a `numeric` as its decimal digits).

use std::error::Error;

use postgres::types::{FromSql, IsNull, ToSql, Type};

use crate::time::DAY;

/// 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix seconds.
const PG_EPOCH: i64 = 946_684_800;

/// How a column's values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int4,
    Int8,
    Numeric,
    /// `timestamptz`, and `timestamp` read as UTC (the session's TimeZone is UTC).
    Timestamp,
    /// 00:00 of that day, UTC.
    Date,
}

impl Kind {
    /// The kind of a column of type `ty`, or None for a type csf does not read.
    pub fn of(ty: &Type) -> Option<Kind> {
        Some(match *ty {
            Type::TEXT | Type::VARCHAR => Kind::Text,
            Type::INT4 => Kind::Int4,
            Type::INT8 => Kind::Int8,
            Type::NUMERIC => Kind::Numeric,
            Type::TIMESTAMPTZ | Type::TIMESTAMP => Kind::Timestamp,
            Type::DATE => Kind::Date,
            _ => return None,
        })
    }
}

/// A value as it came from the server: its binary form, or NULL.
pub struct Raw<'a>(pub Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(Raw(Some(raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(Raw(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// The cursor bound to `$1`, in Unix seconds, sent as `timestamptz`.
#[derive(Debug)]
pub struct Since(pub i64);

impl ToSql for Since {
    fn to_sql(&self, _: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        let micros = (self.0 - PG_EPOCH).checked_mul(1_000_000).ok_or("the cursor is out of range")?;
        out.extend_from_slice(&micros.to_be_bytes());
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMPTZ
    }

    postgres::types::to_sql_checked!();
}

/// A value's text, appended to `out`; for timestamps and dates also the Unix
/// seconds. Err is what is wrong with the value (`is infinity`).
pub fn text(kind: Kind, raw: &[u8], out: &mut Vec<u8>) -> Result<Option<i64>, String> {
    let bad = || format!("is not a valid binary {kind:?} value");
    match kind {
        Kind::Text => out.extend_from_slice(raw),
        Kind::Int4 => out.extend_from_slice(be_i32(raw).ok_or_else(bad)?.to_string().as_bytes()),
        Kind::Int8 => out.extend_from_slice(be_i64(raw).ok_or_else(bad)?.to_string().as_bytes()),
        Kind::Numeric => numeric(raw, out).ok_or_else(bad)??,
        Kind::Timestamp => {
            let micros = be_i64(raw).ok_or_else(bad)?;
            if micros == i64::MAX || micros == i64::MIN {
                return Err("is infinity; csf needs a point in time".into());
            }
            let secs = PG_EPOCH + micros.div_euclid(1_000_000);
            rfc3339(secs, out);
            return Ok(Some(secs));
        }
        Kind::Date => {
            let days = be_i32(raw).ok_or_else(bad)?;
            if days == i32::MAX || days == i32::MIN {
                return Err("is infinity; csf needs a date".into());
            }
            let secs = PG_EPOCH + i64::from(days) * DAY;
            let (y, m, d) = civil(secs.div_euclid(DAY));
            out.extend_from_slice(format!("{y:04}-{m:02}-{d:02}").as_bytes());
            return Ok(Some(secs));
        }
    }
    Ok(None)
}

fn be_i32(raw: &[u8]) -> Option<i32> {
    Some(i32::from_be_bytes(raw.try_into().ok()?))
}

fn be_i64(raw: &[u8]) -> Option<i64> {
    Some(i64::from_be_bytes(raw.try_into().ok()?))
}

/// `numeric`'s binary form (digits in base 10,000 with a weight and a
/// display scale) as decimal text: `-1234.50`. NaN and infinities are errors.
fn numeric(raw: &[u8], out: &mut Vec<u8>) -> Option<Result<(), String>> {
    let word = |i: usize| raw.get(i * 2..i * 2 + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let (ndigits, weight, sign, dscale) = (word(0)? as usize, word(1)? as i16, word(2)?, word(3)? as usize);
    let digits: Vec<u16> = (0..ndigits).map(|i| word(4 + i)).collect::<Option<_>>()?;
    match sign {
        0x0000 => {}
        0x4000 => out.push(b'-'),
        0xC000 => return Some(Err("is NaN; csf needs a number".into())),
        _ => return Some(Err("is infinity; csf needs a number".into())),
    }
    let group = |i: i64| -> u16 { usize::try_from(i).ok().and_then(|i| digits.get(i)).copied().unwrap_or(0) };
    let weight = i64::from(weight);
    if weight < 0 {
        out.push(b'0');
    } else {
        out.extend_from_slice(group(0).to_string().as_bytes());
        for i in 1..=weight {
            out.extend_from_slice(format!("{:04}", group(i)).as_bytes());
        }
    }
    if dscale > 0 {
        out.push(b'.');
        let mut frac = String::with_capacity(dscale + 4);
        let mut i = weight + 1;
        while frac.len() < dscale {
            frac.push_str(&format!("{:04}", group(i)));
            i += 1;
        }
        out.extend_from_slice(&frac.as_bytes()[..dscale]);
    }
    Some(Ok(()))
}

/// `YYYY-MM-DDTHH:MM:SSZ` without allocating (a million rows a sync).
fn rfc3339(secs: i64, out: &mut Vec<u8>) {
    let (y, m, d) = civil(secs.div_euclid(DAY));
    let t = secs.rem_euclid(DAY);
    let two =
        |out: &mut Vec<u8>, v: i64| out.extend_from_slice(&[b'0' + (v / 10) as u8, b'0' + (v % 10) as u8]);
    if (0..=9999).contains(&y) {
        for p in [1000, 100, 10, 1] {
            out.push(b'0' + ((y / p) % 10) as u8);
        }
    } else {
        out.extend_from_slice(y.to_string().as_bytes());
    }
    out.push(b'-');
    two(out, m);
    out.push(b'-');
    two(out, d);
    out.push(b'T');
    two(out, t / 3600);
    out.push(b':');
    two(out, t / 60 % 60);
    out.push(b':');
    two(out, t % 60);
    out.push(b'Z');
}

/// The calendar date of a day number (days since 1970-01-01), proleptic
/// Gregorian (H. Hinnant's `civil_from_days`).
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(words: &[u16]) -> String {
        let raw: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
        let mut out = Vec::new();
        numeric(&raw, &mut out).unwrap().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numeric_reads_as_decimal_text() {
        // ndigits, weight, sign, dscale, digits
        assert_eq!(num(&[2, 0, 0, 2, 49, 5000]), "49.50");
        assert_eq!(num(&[2, 1, 0x4000, 0, 1, 2345]), "-12345");
        assert_eq!(num(&[1, 0xFFFF, 0, 3, 500]), "0.050");
        assert_eq!(num(&[0, 0, 0, 0]), "0");
        assert_eq!(num(&[1, 1, 0, 2, 3]), "30000.00");
        let raw: Vec<u8> = [0u16, 0, 0xC000, 0].iter().flat_map(|w| w.to_be_bytes()).collect();
        assert!(numeric(&raw, &mut Vec::new()).unwrap().unwrap_err().contains("NaN"));
    }

    #[test]
    fn timestamps_print_as_rfc3339_utc() {
        for secs in [0i64, 946_684_800, 1_780_272_075, -86_401, 4_102_444_799, 951_782_400] {
            let mut out = Vec::new();
            rfc3339(secs, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), crate::time::rfc3339(secs), "{secs}");
        }
        let mut out = Vec::new();
        let micros = ((1_780_272_075 - PG_EPOCH) * 1_000_000 + 999_999).to_be_bytes();
        assert_eq!(text(Kind::Timestamp, &micros, &mut out), Ok(Some(1_780_272_075)));
        assert_eq!(out, b"2026-06-01T00:01:15Z");
        assert!(text(Kind::Timestamp, &i64::MAX.to_be_bytes(), &mut out).unwrap_err().contains("infinity"));
    }

    #[test]
    fn dates_are_midnight_utc() {
        let mut out = Vec::new();
        let days = ((1_780_272_075 - PG_EPOCH) / DAY) as i32;
        assert_eq!(text(Kind::Date, &days.to_be_bytes(), &mut out), Ok(Some(1_780_272_000)));
        assert_eq!(out, b"2026-06-01");
    }
}
