//! CSV reading: header aliases, value parsers, per-kind row validation (SPEC §3).

pub mod values;
