//! A real PostgreSQL server for the tests of `csf sync postgres`: one cluster
//! per test run (`initdb` and `pg_ctl -w` in a temporary folder, on
//! 127.0.0.1 and a free port, as a non-root user when run as root), shared
//! by every test, each test with a database and a role of its own. The
//! server stops when the test process ends (a watchdog waits on a pipe the
//! process holds). With `CI=true` a missing PostgreSQL fails the run;
//! elsewhere the tests say they were skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

use postgres::{Client, NoTls};

const SUPER_PASSWORD: &str = "cluster-super-Pw7";

pub struct Cluster {
    pub port: u16,
    /// Whether the server speaks TLS (a self-signed certificate made with
    /// the `openssl` command, which Debian's postgresql package brings).
    pub tls: bool,
    _watchdog: Mutex<std::process::ChildStdin>,
}

static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();

/// The shared cluster, or None (said on stderr) where PostgreSQL is not installed.
pub fn cluster(test: &str) -> Option<&'static Cluster> {
    let c = CLUSTER.get_or_init(|| {
        let Some(bin) = bin_dir() else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true and PostgreSQL's initdb is not installed (.ci/run installs Debian's postgresql)"
            );
            return None;
        };
        Some(start(&bin))
    });
    if c.is_none() {
        eprintln!(
            "skipped {test}: PostgreSQL (initdb, pg_ctl) is not installed — apt-get install postgresql"
        );
    }
    c.as_ref()
}

/// Where `initdb` is: on PATH, else Debian's /usr/lib/postgresql/*/bin (the newest).
fn bin_dir() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file());
    if on_path.is_some() {
        return on_path;
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|d| d.join("initdb").is_file())
        .collect();
    versions.sort_by_key(|d| {
        d.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok())
    });
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.trim_ascii() == b"0").unwrap_or(false)
}

/// A command run as the cluster's owner: `postgres` (else `nobody`) when we are root.
fn as_owner(owner: Option<&str>, program: &Path) -> Command {
    match owner {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.arg("-u").arg(user).arg("--").arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(bin: &Path) -> Cluster {
    let owner = is_root().then(|| {
        let has_postgres =
            Command::new("id").arg("postgres").output().map(|o| o.status.success()).unwrap_or(false);
        if has_postgres {
            "postgres"
        } else {
            "nobody"
        }
    });
    let dir = tempfile::Builder::new().prefix("csf-pg-").tempdir().unwrap().keep();
    let data = dir.join("data");
    let pwfile = dir.join("pw");
    std::fs::write(&pwfile, SUPER_PASSWORD).unwrap();
    if let Some(user) = owner {
        let ok = Command::new("chown").arg("-R").arg(user).arg(&dir).status().unwrap().success();
        assert!(ok, "chown {user} {}", dir.display());
    }
    let run = |c: &mut Command, what: &str| {
        let out = c.current_dir(&dir).output().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            out.status.success(),
            "{what} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(
        as_owner(owner, &bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--no-locale",
                "-E",
                "UTF8",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ])
            .arg(format!("--pwfile={}", pwfile.display())),
        "initdb",
    );
    let port = free_port();
    let mut opts = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off -c full_page_writes=off",
        dir.display()
    );
    let tls = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .arg("-keyout")
        .arg(data.join("server.key"))
        .arg("-out")
        .arg(data.join("server.crt"))
        .output()
        .is_ok_and(|o| o.status.success());
    if tls {
        if let Some(user) = owner {
            Command::new("chown")
                .arg(user)
                .arg(data.join("server.key"))
                .arg(data.join("server.crt"))
                .status()
                .unwrap();
        }
        opts.push_str(" -c ssl=on");
    }
    // -w waits on the server's own readiness (pg_ctl polls the postmaster), never a sleep.
    run(
        as_owner(owner, &bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .args(["-w", "-t", "120", "-l"])
            .arg(dir.join("log"))
            .args(["-o", &opts, "start"]),
        "pg_ctl start",
    );
    // Stops the server and removes the folder when this process ends and
    // its end of the pipe closes (however the process ends).
    let stop = format!(
        "cat >/dev/null; {} {} -D '{}' -m immediate stop; rm -rf '{}'",
        owner.map(|u| format!("runuser -u {u} --")).unwrap_or_default(),
        bin.join("pg_ctl").display(),
        data.display(),
        dir.display()
    );
    // Never waited on: it outlives this process on purpose.
    #[allow(clippy::zombie_processes)]
    let mut watchdog = Command::new("sh")
        .arg("-c")
        .arg(stop)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = watchdog.stdin.take().unwrap();
    Cluster { port, tls, _watchdog: Mutex::new(stdin) }
}

impl Cluster {
    fn superuser(&self, db: &str) -> Client {
        let url =
            format!("host=127.0.0.1 port={} user=postgres password={SUPER_PASSWORD} dbname={db}", self.port);
        Client::connect(&url, NoTls).unwrap()
    }

    /// A database and a role (its owner, with a password) of the test's own;
    /// returns a connection as that role and the URL csf reads.
    pub fn database(&self, name: &str) -> (Client, String) {
        let role = format!("r_{name}");
        let password = format!("Pw-{name}-Secret9");
        let mut su = self.superuser("postgres");
        // One statement at a time: CREATE DATABASE refuses a transaction block.
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("DROP ROLE IF EXISTS {role}"),
            format!("CREATE ROLE {role} LOGIN PASSWORD '{password}'"),
            format!("CREATE DATABASE {name} OWNER {role}"),
        ] {
            su.batch_execute(&sql).unwrap();
        }
        let url = format!("postgres://{role}:{password}@127.0.0.1:{}/{name}?sslmode=disable", self.port);
        let client = Client::connect(&url, NoTls).unwrap();
        (client, url)
    }
}
