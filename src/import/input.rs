//! Where an import reads from: a CSV file, or standard input spooled to a
//! private temporary file first (so the write lock is not held while a slow
//! producer is still writing); and how a write the database refused is named.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// An opened input: its reader, its size when known (a file), and how
/// messages name it (`<stdin>` or the path).
pub struct Input {
    pub reader: Box<dyn Read>,
    pub size: Option<u64>,
    pub source: String,
    pub stdin: bool,
}

/// Opens `file`, or standard input when it is `-`.
pub fn open(file: &Path) -> Result<Input> {
    if file.as_os_str() == "-" {
        return Ok(Input {
            reader: Box::new(spool_stdin()?),
            size: None,
            source: "<stdin>".into(),
            stdin: true,
        });
    }
    let source = file.display().to_string();
    let f = File::open(file)
        .with_context(|| format!("could not open {source}; check the path (use - to read standard input)"))?;
    if f.metadata()?.is_dir() {
        bail!("{source} is a directory; pass a CSV file");
    }
    let size = f.metadata().ok().map(|m| m.len());
    Ok(Input { reader: Box::new(f), size, source, stdin: false })
}

/// Standard input copied to an unlinked, private temporary file.
fn spool_stdin() -> Result<File> {
    use std::io::{Seek, SeekFrom};
    let path = std::env::temp_dir().join(format!(
        "csf-stdin-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
    ));
    let mut o = std::fs::OpenOptions::new();
    o.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f =
        o.open(&path).with_context(|| format!("could not create a temporary file {}", path.display()))?;
    let _ = std::fs::remove_file(&path); // the open handle keeps it until csf exits
    copy_lines_bounded(&mut std::io::stdin().lock(), &mut f)?;
    f.seek(SeekFrom::Start(0))?;
    Ok(f)
}

/// Copies standard input, stopping at once at a line longer than
/// [`super::MAX_RECORD`] (the importer's own limit), so that endless input
/// without line ends (`cat /dev/zero`) neither fills the disk nor waits.
fn copy_lines_bounded(input: &mut impl Read, out: &mut impl std::io::Write) -> Result<()> {
    let mut buf = vec![0u8; 1 << 16];
    let (mut line, mut len, mut after_cr) = (1u64, 0u64, false);
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).context("could not read standard input"),
        };
        for &b in &buf[..n] {
            match b {
                b'\r' => (line, len) = (line + 1, 0),
                b'\n' if after_cr => {}
                b'\n' => (line, len) = (line + 1, 0),
                _ => len += 1,
            }
            after_cr = b == b'\r';
            if len > super::MAX_RECORD {
                bail!("<stdin>:{}", super::too_long_message(line, "a line"));
            }
        }
        out.write_all(&buf[..n]).context("could not spool standard input to a temporary file")?;
    }
}

/// `--delimiter`: one ASCII character, or `\\t`/`tab`.
pub fn delimiter(s: &str) -> Result<u8> {
    match s {
        "\\t" | "\t" | "tab" | "TAB" => Ok(b'\t'),
        s if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => Ok(s.as_bytes()[0]),
        _ => bail!("--delimiter \"{s}\" must be one ASCII character such as , or ; (or \\t / tab)"),
    }
}

/// A write the database refused (disk full, I/O error, lock): named as a
/// storage problem, never as bad rows. The transaction is rolled back.
pub(super) fn storage_error(db: &str, source: &str, line: u64, e: impl Into<anyhow::Error>) -> anyhow::Error {
    let e: anyhow::Error = e.into();
    if crate::store::is_damaged(&e) {
        return crate::store::damaged(source).context("nothing was imported");
    }
    // A read-only file or a full disk is named as every other write names it.
    let sqlite = |e: &anyhow::Error| e.chain().any(|c| c.downcast_ref::<rusqlite::Error>().is_some());
    let was = sqlite(&e);
    let e = crate::store::storage_error(e, db);
    if was && !sqlite(&e) {
        return e;
    }
    let at =
        if line > 0 { format!(" while storing {source}:{line}") } else { format!(" while storing {source}") };
    anyhow::anyhow!(
        "storage error{at}: {e}; nothing was imported (the transaction was rolled back) — free disk \
         space or check the database's folder, then import again"
    )
}
