use super::*;

#[test]
fn example_files_are_well_formed_csv() {
    for (kind, text) in files(1_795_000_000) {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let width = r.headers().unwrap().len();
        let n = r.records().map(|rec| assert_eq!(rec.unwrap().len(), width, "{kind}")).count();
        assert!(n > 0, "{kind} has rows");
    }
}
