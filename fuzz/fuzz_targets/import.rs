//! Fuzz the CSV import path: any bytes, any kind, any options — the import
//! returns Ok or an error, never panics, a failed import writes nothing, a
//! ticket opened in csf is never replaced, and a rejects file holds only
//! formula-safe cells.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod one_input;

fuzz_target!(|data: &[u8]| one_input::check(data));
