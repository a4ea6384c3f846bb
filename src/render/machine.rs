//! Machine formats: CSV cells (formula-safe) — JSON is `Value::to_json`.

use super::Value;

/// A CSV cell. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`)
/// is prefixed with `'`; numbers are written as they are.
pub(super) fn csv_cell(v: &Value) -> String {
    match v {
        Value::Text(s) if s.starts_with(['=', '+', '-', '@']) => format!("'{s}"),
        v => v.plain(),
    }
}
