//! No stray file: a command that created the database file and then failed
//! removes it again; a file that was there before a failure stays as it was.

use crate::common::Work;

fn leftovers(w: &Work) -> Vec<String> {
    std::fs::read_dir(w.path(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("csf.db"))
        .collect()
}

#[test]
fn a_failed_first_command_leaves_no_database_behind() {
    let w = Work::new();
    let r = w.run(&["ticket", "open", "c00001", "hello"]).fails(1);
    assert_eq!(
        r.stderr,
        "error: no customer with id or email \"c00001\"; `csf customer list` shows the customers\n"
    );
    assert_eq!(leftovers(&w), Vec::<String>::new());
    w.file("c.csv", "id,mrr\nacme,-5\n");
    let r = w.run(&["import", "customers", "c.csv"]).fails(1);
    assert!(r.stderr.contains("1 invalid row; nothing was imported"), "{}", r.stderr);
    assert_eq!(leftovers(&w), Vec::<String>::new());
    // A file that existed stays, unchanged.
    w.run(&["-q", "init"]).ok();
    let before = w.dump();
    w.run(&["ticket", "open", "c00001", "hello"]).fails(1);
    w.run(&["import", "customers", "c.csv"]).fails(1);
    assert_eq!(w.dump(), before);
}
