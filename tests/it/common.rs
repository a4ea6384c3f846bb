//! The harness: a temp folder with a database, files written into it, `csf`
//! run with a fixed `--now`, and queries on the database afterwards.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use rusqlite::Connection;
use tempfile::TempDir;

pub const NOW: &str = "2026-11-20T12:00:00Z";

pub struct Work {
    pub dir: TempDir,
    pub db: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn fails(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl Work {
    pub fn new() -> Work {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("csf.db");
        Work { dir, db }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file into the work folder; returns its path.
    pub fn file(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("csf").unwrap();
        c.env_remove("CSF_DB")
            .env_remove("CSF_NOW")
            .env_remove("CLICOLOR_FORCE")
            .env("NO_COLOR", "1")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .arg("--db")
            .arg(&self.db)
            .arg("--now")
            .arg(NOW)
            .current_dir(self.dir.path());
        c
    }

    /// Runs csf with the fixed NOW.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd().args(args).output().unwrap())
    }

    /// Runs csf with another `--now` (a later flag wins).
    pub fn run_at(&self, now: &str, args: &[&str]) -> Run {
        Run::from(self.cmd().arg("--now").arg(now).args(args).output().unwrap())
    }

    pub fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        Run::from(self.cmd().args(args).write_stdin(input).output().unwrap())
    }

    pub fn conn(&self) -> Connection {
        Connection::open(&self.db).unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// Every row of every table, as text: to show a failed command changed nothing.
    pub fn dump(&self) -> String {
        dump(&self.db)
    }
}

fn table_names(c: &Connection) -> Vec<String> {
    c.prepare("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

pub fn dump(db: &Path) -> String {
    if !db.exists() {
        return String::new();
    }
    let c = Connection::open(db).unwrap();
    let tables = table_names(&c);
    let mut out = String::new();
    for t in tables {
        out.push_str(&format!("## {t}\n"));
        let mut st = c.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1, 2")).unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|"))
            })
            .unwrap();
        for r in rows {
            out.push_str(&r.unwrap());
            out.push('\n');
        }
    }
    out
}

/// The rows of every table of `db`, restricted to the columns each table has
/// in `old` (a database written by an earlier release): what an upgrade must keep.
pub fn rows_in_old_columns(old: &Path, db: &Path) -> Vec<(String, Vec<String>)> {
    let o = Connection::open(old).unwrap();
    let tables = table_names(&o);
    let c = Connection::open(db).unwrap();
    tables
        .into_iter()
        .map(|t| {
            let cols: Vec<String> = o
                .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let list = cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
            let mut st = c.prepare(&format!("SELECT {list} FROM \"{t}\" ORDER BY {list}")).unwrap();
            let rows = st
                .query_map([], |r| {
                    Ok((0..cols.len())
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (t, rows)
        })
        .collect()
}
