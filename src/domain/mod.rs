//! Pure logic on plain structs and `now`: no I/O, unit-tested with hand-computed cases.

pub mod health;
pub mod settings;
pub mod tickets;
