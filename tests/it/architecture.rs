//! The layer rule of docs/architecture.md, read from the sources: a module
//! imports only its own layer or the layers below it, no command imports
//! another command, nothing below the command line names clap, and no file
//! outgrows its limit.

use std::path::{Path, PathBuf};

/// The layers, top first. A file may name modules of its own layer or below.
const LAYERS: &[(&str, &[&str])] = &[
    ("the command line", &["lib", "main", "cli", "commands", "context"]),
    ("render", &["render"]),
    ("use cases", &["app", "example"]),
    ("import and the sources", &["import", "sources"]),
    ("store", &["store"]),
    ("domain", &["domain"]),
    ("leaves", &["time", "escape", "money"]),
];

/// The top-level module a file under `src/` belongs to.
fn module_of(rel: &str) -> &str {
    let first = rel.split('/').next().unwrap_or(rel);
    first.strip_suffix(".rs").unwrap_or(first)
}

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// The code of a file without its comments and without the items marked
/// `#[cfg(test)]` (a `mod tests { … }` block or a test helper: unit tests
/// may reach across layers). Only the marked item is skipped, by its braces,
/// so production code after a test module is still read.
fn code(source: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    let mut depth = 0i64;
    let mut opened = false;
    for line in source.lines() {
        let t = line.trim_start();
        if skipping {
            let code_part = t.split("//").next().unwrap_or("");
            for c in code_part.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            let ends_bare = !opened && code_part.trim_end().ends_with(';') && !t.starts_with("#[");
            if (opened && depth <= 0) || ends_bare {
                skipping = false;
            }
            continue;
        }
        if t.starts_with("#[cfg(test)]") {
            skipping = true;
            depth = 0;
            opened = false;
            continue;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn ident(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// Every top-level module a file names through `crate::` (also inside `crate::{a, b::c}`).
fn crate_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(inner) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut item_start = true;
            for (k, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_ascii_alphabetic() || c == '_') => {
                        out.push(ident(&inner[k..]).to_string());
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(ident(rest).to_string());
        }
    }
    out
}

/// The rule's violations in one file (`rel` is its path under `src/`).
fn violations(rel: &str, source: &str) -> Vec<String> {
    let code = code(source);
    let me = module_of(rel);
    let Some(my_rank) = rank(me) else {
        return vec![format!("{rel}: module `{me}` has no layer in docs/architecture.md")];
    };
    let mut found = Vec::new();
    for m in crate_modules(&code) {
        if m == "self" || m == "super" {
            continue;
        }
        match rank(&m) {
            None => found.push(format!("{rel}: names `crate::{m}`, which has no layer")),
            Some(r) if r < my_rank => found.push(format!(
                "{rel}: {} imports `crate::{m}` from {}, a higher layer",
                LAYERS[my_rank].0, LAYERS[r].0
            )),
            _ => {}
        }
        if me == "commands" && m == "commands" {
            found.push(format!("{rel}: a command imports another command (`crate::commands`)"));
        }
    }
    if me == "commands" && rel != "commands/mod.rs" && code.contains("super::") {
        found.push(format!("{rel}: a command reaches another command through `super::`"));
    }
    if my_rank > 0 && (code.contains("clap") || code.contains("crate::cli")) {
        found.push(format!("{rel}: names clap below the command line"));
    }
    found
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn all_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    assert!(files.len() > 40, "found the sources");
    files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn every_module_imports_only_its_layer_and_below() {
    let found: Vec<String> = all_sources().iter().flat_map(|(rel, s)| violations(rel, s)).collect();
    assert!(found.is_empty(), "layer rule broken:\n{}", found.join("\n"));
}

#[test]
fn no_file_outgrows_its_limit() {
    let mut found = Vec::new();
    for (rel, s) in all_sources() {
        let limit = if rel.starts_with("commands/") { 250 } else { 400 };
        let n = s.lines().count();
        if n > limit {
            found.push(format!("{rel}: {n} lines (limit {limit})"));
        }
    }
    assert!(found.is_empty(), "split these files:\n{}", found.join("\n"));
}

/// The checker itself catches each kind of violation (so the test above can fail).
#[test]
fn the_layer_check_catches_each_kind_of_violation() {
    let cases = [
        ("commands/today.rs", "use crate::commands::health as h;\n", "imports another command"),
        ("commands/today.rs", "use crate::{commands::{health, churn}, app};\n", "imports another command"),
        ("commands/report.rs", "fn f() { super::trends::run() }\n", "through `super::`"),
        ("domain/health/mod.rs", "use crate::store::health::Latest;\n", "imports `crate::store`"),
        ("store/health.rs", "use crate::{domain, app::health};\n", "imports `crate::app`"),
        ("app/today.rs", "use crate::render::Rows;\n", "imports `crate::render`"),
        ("render/today.rs", "use crate::commands::today;\n", "imports `crate::commands`"),
        ("app/today.rs", "use clap::ValueEnum;\n", "names clap"),
        ("render/mod.rs", "use crate::cli::ColorWhen;\n", "names clap"),
        ("import/mod.rs", "let v = crate::render::visible(s);\n", "imports `crate::render`"),
        ("gadgets/mod.rs", "\n", "has no layer"),
        // Production code after a unit-test module or a test helper is still read.
        (
            "app/today.rs",
            "#[cfg(test)]\nmod tests {\n    fn helper() {\n    }\n}\nuse crate::render::Rows;\n",
            "imports `crate::render`",
        ),
        (
            "app/today.rs",
            "#[cfg(test)]\nfn helper() -> u8 { 1 }\nuse crate::render::Rows;\n",
            "imports `crate::render`",
        ),
        ("app/today.rs", "#[cfg(test)]\nmod tests;\nuse crate::commands::x;\n", "imports `crate::commands`"),
        ("sources/stripe/mod.rs", "use crate::app::today;\n", "imports `crate::app`"),
    ];
    for (rel, src, want) in cases {
        let v = violations(rel, src);
        assert!(v.iter().any(|m| m.contains(want)), "{rel} with {src:?}: {v:?}");
    }
    // Allowed: the same layer, lower layers, comments and unit tests.
    for (rel, src) in [
        ("app/today.rs", "use crate::app::health;\nuse crate::{domain::today, store, time};\n"),
        ("render/today.rs", "use crate::app::today::Listed;\nuse crate::store::health::Latest;\n"),
        ("commands/today.rs", "use crate::{app, cli, context::Ctx, render};\n"),
        ("domain/today.rs", "// crate::store is not named here\nuse crate::time::DAY;\n"),
        ("store/churn.rs", "use crate::domain::churn;\n#[cfg(test)]\nmod t { use crate::app::x; }\n"),
        ("sources/postgres.rs", "use crate::import::Writer;\nuse crate::{store, domain, time};\n"),
    ] {
        assert_eq!(violations(rel, src), Vec::<String>::new(), "{rel}: {src:?}");
    }
}

/// Every settings key the sources read (`.number("…")`, `.count("…")`,
/// `.get("…")` on settings) is a documented key: a mistyped key would be a
/// panic, never a silent 0 — this finds it before anyone runs it.
#[test]
fn every_settings_key_named_in_the_sources_exists() {
    let settings =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain/settings/keys.rs"))
            .unwrap();
    let known: Vec<&str> = settings
        .match_indices("name: \"")
        .map(|(i, m)| {
            let rest = &settings[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert!(known.len() > 20 && known.contains(&"today.limit"), "{known:?}");
    let mut unknown = Vec::new();
    for (rel, src) in all_sources() {
        for call in [".number(\"", ".count(\"", "settings.get(\"", "s.get(\""] {
            for (i, m) in src.match_indices(call) {
                let rest = &src[i + m.len()..];
                let name = &rest[..rest.find('"').unwrap()];
                if name.contains('.') && !known.contains(&name) {
                    unknown.push(format!("{rel}: {name}"));
                }
            }
        }
    }
    assert!(unknown.is_empty(), "unknown settings keys: {unknown:?}");
}
