//! Files that are not UTF-8 are named as such (issue 38 N18): UTF-16 with or
//! without a BOM, found by its BOM or by the NUL bytes of its ASCII text; a
//! Latin-1 line, named by its line and column. Nothing is imported.

use crate::common::Work;

const NPS: &str = "customer,responded_at,score,comment\nacme,2026-11-01,9,fine\nacme,2026-11-02,8,ok\n";

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let units = (bom.then_some(0xfeffu16)).into_iter().chain(text.encode_utf16());
    units.flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
}

fn with_acme() -> Work {
    let w = Work::new();
    w.run(&["-q", "customer", "add", "acme", "--name", "Acme"]).ok();
    w
}

#[test]
fn a_utf16_file_is_named_with_or_without_a_bom_and_nothing_is_imported() {
    let w = with_acme();
    for (name, big, bom, words) in [
        ("le-bom.csv", false, true, "UTF-16 (little-endian, with a BOM)"),
        ("be-bom.csv", true, true, "UTF-16 (big-endian, with a BOM)"),
        ("le.csv", false, false, "UTF-16 (little-endian)"),
        ("be.csv", true, false, "UTF-16 (big-endian)"),
    ] {
        w.file(name, utf16(NPS, big, bom));
        let iconv = if big { "iconv -f UTF-16BE -t UTF-8" } else { "iconv -f UTF-16LE -t UTF-8" };
        let said = format!("error: {name} is {words}; save it as UTF-8");
        for extra in [&[][..], &["--skip-invalid"], &["--dry-run"]] {
            let args: Vec<&str> = ["import", "nps", name].into_iter().chain(extra.iter().copied()).collect();
            let r = w.refuses(&args, &[&said, iconv, "nothing was imported"]);
            assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        }
    }
    // UTF-32 and binary files start with NUL bytes.
    w.file("nul.bin", b"\0\0\0c\0\0\0u");
    w.refuses(
        &["import", "nps", "nul.bin"],
        &["nul.bin is not UTF-8 text (it starts with NUL bytes: UTF-32 or a binary file); nothing was imported — is this a CSV file?"],
    );
    assert_eq!(w.count("SELECT count(*) FROM nps_responses"), 0);
}

#[test]
fn a_latin1_line_is_named_by_line_and_column_even_with_skip_invalid() {
    let w = with_acme();
    w.file(
        "latin1.csv",
        b"customer,responded_at,score,comment\nacme,2026-11-01,9,fine\nacme,2026-11-02,8,caf\xe9\n",
    );
    for extra in [&[][..], &["--skip-invalid"]] {
        let args: Vec<&str> =
            ["import", "nps", "latin1.csv"].into_iter().chain(extra.iter().copied()).collect();
        w.refuses(
            &args,
            &[
                "error: latin1.csv:3 is not UTF-8 (column \"comment\", byte 4 of the cell is 0xe9: the file \
                 looks like Latin-1 or Windows-1252); save it as UTF-8",
                "nothing was imported",
            ],
        );
    }
    w.file("header.csv", b"customer,r\xe9ponse,score\nacme,2026-11-01,9\n");
    w.refuses(
        &["import", "nps", "header.csv"],
        &["error: header.csv:1 is not UTF-8 (field 2, byte 2 of the cell is 0xe9"],
    );
    assert_eq!(w.count("SELECT count(*) FROM nps_responses"), 0);
}

#[test]
fn utf8_with_or_without_a_bom_still_imports() {
    let w = with_acme();
    w.file("bom.csv", format!("\u{feff}{NPS}"));
    w.run(&["-q", "import", "nps", "bom.csv"]).ok();
    w.file("plain.csv", "customer,responded_at,score,comment\nacme,2026-11-03,7,café\n");
    w.run(&["-q", "import", "nps", "plain.csv"]).ok();
    assert_eq!(w.count("SELECT count(*) FROM nps_responses"), 3);
}
