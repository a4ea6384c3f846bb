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

    /// `csf` with a clean environment and nothing on its command line: every
    /// variable csf (or a crate it uses) reads is cleared, so the caller's
    /// terminal width, colours, database, clock, home and temp folder never
    /// leak in. Only `PATH` (for the shell wrappers) and the coverage
    /// profile path pass through; HOME, XDG_* and TMPDIR point into the temp dir.
    pub fn bare(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("csf"));
        self.hermetic(&mut c);
        c
    }

    fn hermetic(&self, c: &mut std::process::Command) {
        c.env_clear();
        for keep in ["PATH", "LLVM_PROFILE_FILE"] {
            if let Some(v) = std::env::var_os(keep) {
                c.env(keep, v);
            }
        }
        let tmp = self.path("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        c.env("NO_COLOR", "1")
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("TMPDIR", tmp)
            .current_dir(self.dir.path());
    }

    /// [`Work::bare`] with `--db` and the fixed `--now` (as std's Command).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = self.bare();
        c.arg("--db").arg(&self.db).arg("--now").arg(NOW);
        c
    }

    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// Starts csf in the background with the harness environment; stdin is a
    /// pipe, stdout and stderr are piped too.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        use std::process::Stdio;
        self.std_cmd()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Runs `script` with bash in the harness environment, where `"$@"` is
    /// csf's whole command line (binary, `--db`, `--now`, then `args`): for
    /// pipes and resource limits around a csf run.
    pub fn shell(&self, script: &str, args: &[&str]) -> Run {
        let mut c = std::process::Command::new("bash");
        self.hermetic(&mut c);
        c.arg("-c")
            .arg(script)
            .arg("bash")
            .arg(assert_cmd::cargo::cargo_bin("csf"))
            .arg("--db")
            .arg(&self.db)
            .arg("--now")
            .arg(NOW)
            .args(args);
        Run::from(c.output().unwrap())
    }

    /// Runs csf with the fixed NOW.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd().args(args).output().unwrap())
    }

    /// Runs csf with variables set on top of the cleared environment
    /// (`COLUMNS`, `CSF_NOW`, …).
    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let mut c = self.cmd();
        for (k, v) in env {
            c.env(k, v);
        }
        Run::from(c.args(args).output().unwrap())
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

    /// (table, row count) of every table.
    pub fn row_counts(&self) -> Vec<(String, i64)> {
        let c = self.conn();
        table_names(&c)
            .into_iter()
            .map(|t| {
                let n = c.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).unwrap();
                (t, n)
            })
            .collect()
    }

    /// Runs csf and checks it refuses: exit 1, every fragment in stderr (which
    /// starts with `error: `), nothing on stdout, and the database as it was.
    #[track_caller]
    pub fn refuses(&self, args: &[&str], fragments: &[&str]) -> Run {
        let before = self.dump();
        let r = self.run(args);
        let what = format!("csf {}", args.join(" "));
        assert_eq!(r.code, 1, "{what}: expected exit 1\nstdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
        assert!(r.stderr.starts_with("error: "), "{what}: {}", r.stderr);
        for f in fragments {
            assert!(r.stderr.contains(f), "{what}: stderr lacks {f:?}:\n{}", r.stderr);
        }
        assert_eq!(r.stdout, "", "{what}: a refusal prints no answer");
        assert_eq!(self.dump(), before, "{what} changed the database");
        r
    }

    /// [`Work::refuses`] for a run the caller prepares: `prepare` gets csf with
    /// the harness environment, `--db` and `--now` (and `args` after them) and
    /// may add a variable, a standard input or a standard output.
    #[track_caller]
    pub fn refuses_with(
        &self,
        prepare: impl FnOnce(&mut std::process::Command),
        args: &[&str],
        fragments: &[&str],
    ) -> Run {
        let before = self.dump();
        let mut c = self.std_cmd();
        c.args(args);
        prepare(&mut c);
        let r = Run::from(c.output().unwrap());
        self.refused(&format!("csf {}", args.join(" ")), &before, r, fragments)
    }

    /// [`Work::refuses`] for csf run by a bash `script` (see [`Work::shell`]):
    /// resource limits, redirections.
    #[track_caller]
    pub fn refuses_in_shell(&self, script: &str, args: &[&str], fragments: &[&str]) -> Run {
        let before = self.dump();
        let r = self.shell(script, args);
        self.refused(&format!("{script} with csf {}", args.join(" ")), &before, r, fragments)
    }

    /// The checks of [`Work::refuses`] on a finished run.
    #[track_caller]
    fn refused(&self, what: &str, before: &str, r: Run, fragments: &[&str]) -> Run {
        assert_eq!(r.code, 1, "{what}: expected exit 1\nstdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
        assert!(r.stderr.starts_with("error: "), "{what}: {}", r.stderr);
        for f in fragments {
            assert!(r.stderr.contains(f), "{what}: stderr lacks {f:?}:\n{}", r.stderr);
        }
        assert_eq!(r.stdout, "", "{what}: a refusal prints no answer");
        assert_eq!(self.dump(), before, "{what} changed the database");
        r
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

/// Waits, without a clock, until `child` has read at least `bytes` bytes
/// (Linux: `rchar` of /proc/PID/io). Panics if it exits first.
pub fn wait_until_read(child: &mut std::process::Child, bytes: u64) {
    let io = format!("/proc/{}/io", child.id());
    loop {
        assert!(child.try_wait().unwrap().is_none(), "csf exited before reading {bytes} bytes");
        let rchar = std::fs::read_to_string(&io).ok().and_then(|s| {
            s.lines().find_map(|l| l.strip_prefix("rchar: ").and_then(|n| n.trim().parse::<u64>().ok()))
        });
        if rchar.is_some_and(|n| n >= bytes) {
            return;
        }
        std::thread::yield_now();
    }
}

/// Waits, without a clock, until `child` is blocked reading its standard
/// input (Linux: /proc/PID/syscall shows read(2) on fd 0). Panics if it exits first.
pub fn wait_until_reading_stdin(child: &mut std::process::Child) {
    let syscall = format!("/proc/{}/syscall", child.id());
    let read_fd0 = if cfg!(target_arch = "aarch64") { "63 0x0 " } else { "0 0x0 " };
    loop {
        assert!(child.try_wait().unwrap().is_none(), "csf exited before reading its input");
        if std::fs::read_to_string(&syscall).is_ok_and(|s| s.starts_with(read_fd0)) {
            return;
        }
        std::thread::yield_now();
    }
}

/// Whether `mount_script` (with `$1` a fresh folder) works in a user and
/// mount namespace here (`unshare -rm`): the filesystem tests need it. Where
/// the machine does not allow it they are skipped, saying so — except in CI
/// (`CI` set), where a skip would hide a hole: there it fails.
#[track_caller]
pub fn can_mount(test: &str, mount_script: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("unshare")
        .args(["-rm", "bash", "-c", mount_script, "bash"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        assert!(!ci, "{test}: no user/mount namespace here (unshare -rm: {mount_script}); CI must run it");
        eprintln!("{test}: no user/mount namespace here (unshare -rm); skipped");
    }
    ok
}

/// A named pipe at `path`.
pub fn mkfifo(path: &std::path::Path) {
    let ok = std::process::Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}
