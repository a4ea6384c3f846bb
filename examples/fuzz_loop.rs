//! The import fuzz target without libFuzzer: a plain loop over the corpus
//! and seeds with byte mutations, for machines without cargo-fuzz
//! (`scripts/fuzz` falls back to it). Not coverage-guided: each input is a
//! corpus file mutated 1–8 times (bit flips, random or CSV-special bytes,
//! deletions, duplications, splices with another file). A panic or a failed
//! assertion saves the input under `fuzz/artifacts/import/` and exits 1.
//!
//! Usage: cargo run --example fuzz_loop -- SECONDS DIR...

#[path = "../fuzz/fuzz_targets/one_input.rs"]
mod one_input;

use std::time::{Duration, Instant};

/// xorshift64*: reproducible from the seed it prints.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&[u8]] = &[
    b",",
    b";",
    b"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xe9",
    b"=",
    b"-",
    b"@",
    b"9999-12-31T23:00:00-02:00",
    b"1795000000000",
    b"-1",
    b"1e9",
    b"\"\"",
    b"customer",
    b"acme",
    b"A@B.C, x@y.z",
];

fn mutate(rng: &mut Rng, data: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    for _ in 0..=rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(7) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] = rng.next() as u8;
            }
            2 => data.splice(at..at, TOKENS[rng.below(TOKENS.len())].iter().copied()).for_each(drop),
            3 if !data.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at.min(end)..end);
            }
            4 if at < data.len() => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                let piece = data[at..end].to_vec();
                data.splice(at..at, piece).for_each(drop);
            }
            5 => {
                let other = &corpus[rng.below(corpus.len())];
                let from = rng.below(other.len());
                let piece = &other[from..(from + rng.below(128)).min(other.len())];
                data.splice(at..at, piece.iter().copied()).for_each(drop);
            }
            _ => data.insert(at, rng.next() as u8),
        }
    }
    data.truncate(1 << 16);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(60);
    let mut corpus = Vec::new();
    for dir in args {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if let Ok(bytes) = std::fs::read(e.path()) {
                corpus.push(bytes);
            }
        }
    }
    if corpus.is_empty() {
        corpus.push(b"\x00customer,email\nacme,a@b.c\n".to_vec());
    }
    let seed = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
            | 1
    });
    eprintln!("fuzz_loop: {} corpus files, seed {seed}, {secs} s", corpus.len());
    let mut rng = Rng(seed);
    let started = Instant::now();
    let (mut runs, mut last) = (0u64, Instant::now());
    while started.elapsed() < Duration::from_secs(secs) {
        let mut data = corpus[rng.below(corpus.len())].clone();
        if runs > 0 {
            mutate(&mut rng, &mut data, &corpus);
        }
        runs += 1;
        if let Err(e) = std::panic::catch_unwind(|| one_input::check(&data)) {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
            let dir = std::path::Path::new("fuzz/artifacts/import");
            let _ = std::fs::create_dir_all(dir);
            let path = dir.join(format!("loop-crash-{seed}-{runs}"));
            let _ = std::fs::write(&path, &data);
            eprintln!(
                "fuzz_loop: FAILED after {runs} inputs: {}; input saved to {}",
                why.unwrap_or_default(),
                path.display()
            );
            std::process::exit(1);
        }
        if last.elapsed() >= Duration::from_secs(30) {
            eprintln!("fuzz_loop: {runs} inputs in {:.0} s", started.elapsed().as_secs_f64());
            last = Instant::now();
        }
    }
    let t = started.elapsed().as_secs_f64();
    eprintln!(
        "fuzz_loop: done: {runs} inputs in {t:.0} s ({:.0}/s), seed {seed}, no panic, no failed assertion",
        runs as f64 / t
    );
}
