//! Message templates (docs/tickets.md, docs/today.md): the defaults shipped with csf, one
//! text file per message under `src/templates/`, so the words can be edited
//! without touching code. Overrides live in the database (`csf template set`).

/// A shipped template: its name, what it is for, and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub name: &'static str,
    pub about: &'static str,
    pub text: &'static str,
}

macro_rules! template {
    ($name:literal, $about:literal) => {
        Template { name: $name, about: $about, text: include_str!(concat!("../templates/", $name, ".txt")) }
    };
}

pub const DEFAULTS: &[Template] = &[
    template!("ack", "ticket reply: acknowledgment (csf ticket reply --template ack; csf today)"),
    template!("resolution", "ticket reply: resolution"),
    template!("escalation", "ticket reply: escalation"),
    template!("onboarding-0", "onboarding day 0: Welcome — set expectations, first step"),
    template!("onboarding-1", "onboarding day 1: Quick win — show one valuable feature"),
    template!("onboarding-3", "onboarding day 3: Tips — help them go deeper"),
    template!("onboarding-7", "onboarding day 7: Check-in — ask if they need help"),
    template!("onboarding-14", "onboarding day 14: Success story — social proof, inspiration"),
    template!("onboarding-21", "onboarding day 21: Upgrade/expand — show additional value"),
    template!("winback-1", "win-back day 1: We noticed you haven't been around..."),
    template!("winback-7", "win-back day 7: Here's what you're missing..."),
    template!("winback-14", "win-back day 14: Direct message from founder"),
    template!("winback-30", "win-back day 30: Discount or extended trial"),
    template!("winback-60", "win-back day 60: Help us understand what happened"),
    template!("rescue", "csf today: a personal check-in for an at-risk or critical customer"),
    template!("rescue-payment", "csf today: a failed payment — the card update link ({update_url})"),
    template!("rescue-feedback", "csf today: a detractor or a low support rating — ask what went wrong"),
    template!("rescue-usage", "csf today: usage dropped or stopped — offer help getting back on track"),
    template!("rescue-tickets", "csf today: a burst of support tickets — a personal note and a call"),
    template!("expand", "csf today: an expansion conversation with a healthy customer"),
];

/// The placeholders csf fills in every outreach draft.
pub const FILLABLE: [&str; 11] = [
    "name",
    "company",
    "product",
    "founder",
    "first_step",
    "feature",
    "reasons",
    "last_active",
    "plan",
    "mrr",
    "update_url",
];

pub fn default(name: &str) -> Option<&'static Template> {
    DEFAULTS.iter().find(|t| t.name == name)
}

/// The template of a sequence step: `onboarding-7`, `winback-30`.
pub fn step_name(sequence: &str, day: i64) -> String {
    format!("{sequence}-{day}")
}

pub use crate::domain::contact::{first_name_from_email, greeting_name};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sequence::{ONBOARDING, WINBACK};
    use crate::domain::tickets::placeholders;

    #[test]
    fn every_sequence_step_has_a_default_template() {
        for seq in [ONBOARDING, WINBACK] {
            for s in seq.steps {
                assert!(default(&step_name(seq.name, s.day)).is_some(), "{} day {}", seq.name, s.day);
            }
        }
    }

    #[test]
    fn the_reply_templates_keep_the_framework_placeholders() {
        let p = |n: &str| placeholders(default(n).unwrap().text);
        assert_eq!(p("ack"), ["name", "issue", "timeframe", "founder"]);
        assert_eq!(p("resolution"), ["name", "issue", "explanation", "tip", "founder"]);
        assert_eq!(p("escalation"), ["name", "issue", "team", "timeframe", "workaround", "founder"]);
    }

    #[test]
    fn every_shipped_template_greets_a_person_and_signs_off_by_the_founder() {
        for t in DEFAULTS {
            assert!(t.text.contains("Hi {name},"), "{} greets {{name}}", t.name);
            assert!(t.text.trim_end().ends_with("{founder}"), "{} signs off with {{founder}}", t.name);
        }
    }

    #[test]
    fn outreach_templates_use_only_placeholders_csf_can_fill() {
        let known = FILLABLE;
        for t in DEFAULTS.iter().filter(|t| !["ack", "resolution", "escalation"].contains(&t.name)) {
            for p in placeholders(t.text) {
                assert!(known.contains(&p.as_str()), "{}: {{{p}}}", t.name);
            }
        }
    }

    #[test]
    fn the_win_back_messages_start_from_the_framework_lines() {
        assert!(default("winback-1").unwrap().text.contains("We noticed you haven't been around"));
        assert!(default("winback-7").unwrap().text.contains("Here's what you're missing"));
        assert!(default("winback-60").unwrap().text.contains("Help us understand what happened"));
    }

    #[test]
    fn first_names_come_from_personal_addresses_only() {
        assert_eq!(first_name_from_email("jane.doe@acme.com").as_deref(), Some("Jane"));
        assert_eq!(first_name_from_email("BOB@x.io").as_deref(), Some("Bob"));
        assert_eq!(first_name_from_email("support@acme.com"), None);
        assert_eq!(first_name_from_email("j@acme.com"), None);
        assert_eq!(first_name_from_email("ops2@acme.com"), None);
        assert_eq!(greeting_name(None, None, None, "Acme"), "there");
        assert_eq!(greeting_name(None, None, Some("initech@example.com"), "Initech"), "there");
        assert_eq!(greeting_name(None, None, Some("piedpiper@example.com"), "piedpiper"), "there");
        assert_eq!(greeting_name(None, None, Some("jane@acme.com"), "Acme Inc"), "Jane");
        assert_eq!(greeting_name(None, Some("  Mary Ann Smith"), Some("jane@acme.com"), "Acme"), "Mary");
        assert_eq!(greeting_name(None, Some(" "), Some("jane@acme.com"), "Acme"), "Jane");
    }
}
