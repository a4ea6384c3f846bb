//! The `csf` binary: everything is in the library (`src/lib.rs`).

fn main() -> std::process::ExitCode {
    csf::main_entry()
}
