use super::*;

/// A row of the greeting table: salutation, contact, email, the `{name}` wanted.
type Greeting<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, &'a str);

/// The greeting table of docs/today.md: salutation, contact, email → `{name}`.
#[test]
fn greetings_never_print_a_title_alone_or_a_stray_comma() {
    let cases: &[Greeting] = &[
        (None, Some("Jane Smith"), Some("ops@acme.com"), "Jane"),
        (None, Some("Dr. Jane Smith"), None, "Jane"),
        (None, Some("Dr Jane Smith"), None, "Jane"),
        (None, Some("Prof. Ana María López"), None, "Ana"),
        (None, Some("Smith, John"), None, "John"),
        (None, Some("Smith,"), None, "Smith"),
        (None, Some("Dr."), Some("jane.doe@acme.com"), "Jane"),
        (None, Some("Mrs"), None, "there"),
        (None, None, Some("jane.doe@acme.com"), "Jane"),
        (None, None, Some("accounts@acme.com"), "there"),
        (None, None, Some("info@acme.com"), "there"),
        (None, None, Some("noreply@acme.com"), "there"),
        (None, None, Some("j2k@acme.com"), "there"),
        (None, None, Some("acme@acme.com"), "there"),
        (Some("Dr. Watson"), Some("John Watson"), None, "Dr. Watson"),
        (Some("Team Acme,"), None, None, "Team Acme"),
        (Some("  "), Some("Mx. Sam Lee"), None, "Sam"),
        (None, None, None, "there"),
    ];
    for (salutation, contact, email, want) in cases {
        assert_eq!(
            greeting_name(*salutation, *contact, *email, "Acme Inc"),
            *want,
            "{salutation:?} {contact:?} {email:?}"
        );
    }
}

#[test]
fn an_email_field_holds_exactly_one_address() {
    for ok in ["jane@acme.com", "jane.doe+csf@mail.acme.co.uk", "o'neil@x.io"] {
        assert_eq!(check_email(ok), Ok(()), "{ok}");
    }
    for bad in [
        "victim@acme.com, attacker@evil.com",
        "a@x.io;b@y.io",
        "Jane <jane@acme.com>",
        "jane@acme.com\r\nBcc: x@evil.com",
        "jane@acme.com\u{2028}Bcc: x@evil.com",
        "jane@@acme.com",
        "jane",
        "jane@localhost",
        "jane@acme.com\0",
        "jane doe@acme.com",
    ] {
        assert!(check_email(bad).is_err(), "{bad:?}");
    }
    assert!(check_email("a@x.io, b@y.io").unwrap_err().contains("one address per customer"));
}

#[test]
fn header_text_refuses_line_breaks_and_controls_but_not_tabs_or_letters() {
    assert_eq!(check_header_text("the name", "Zoë\tCafé — 日本"), Ok(()));
    for bad in ["a\rb", "a\nb", "a\0b", "a\u{2028}b", "a\u{2029}b", "a\u{1b}[31mb"] {
        assert!(check_header_text("the name", bad).is_err(), "{bad:?}");
    }
    assert!(check_header_text("the name", "x\ny").unwrap_err().contains("the name contains a line break"));
}
