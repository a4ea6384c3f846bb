//! The values csf fills outreach drafts with, and the template texts in
//! force (docs/today.md).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use rusqlite::Connection;

use crate::app::templates;
use crate::domain::settings::Settings;
use crate::domain::templates::greeting_name;
use crate::domain::today::Draft;
use crate::money::money_shown;
use crate::store::customers::Customer;
use crate::store::usage;

/// What drafts say until the settings are set (docs/today.md).
const DEFAULT_PRODUCT: &str = "our product";
pub const DEFAULT_FOUNDER: &str = "The team";
const DEFAULT_FIRST_STEP: &str = "finish setting up your account";
const DEFAULT_FEATURE: &str = "the feature our customers use most";
const DEFAULT_UPDATE_URL: &str = "the billing page of your account";

/// The settings that make drafts personal and are not set yet.
/// (`founder.name` also signs ticket replies.)
pub fn unset_draft_settings(settings: &Settings) -> Vec<&'static str> {
    ["product.name", "founder.name", "founder.email", "product.first_step"]
        .into_iter()
        .filter(|k| settings.get(k).is_none())
        .collect()
}

/// Hours as a draft says them: "24", "1.5".
fn hours_text(h: f64) -> String {
    let s = format!("{:.1}", (h * 10.0).round() / 10.0);
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

pub struct Drafts {
    product: String,
    founder: String,
    first_step: String,
    feature: String,
    /// For `{timeframe}` in the acknowledgment: the resolution target.
    pub timeframe: String,
    /// The `From:` of every draft: `founder.name <founder.email>` (None until the address is set).
    from: Option<String>,
    update_url: String,
    texts: RefCell<HashMap<String, String>>,
    /// Templates that could not be read, with the reason: their defaults were used.
    pub warnings: RefCell<Vec<String>>,
}

impl Drafts {
    pub fn new(conn: &Connection, settings: &Settings, now: i64) -> Result<Drafts> {
        let feature = match settings.get("onboarding.value_event") {
            Some(v) => Some(v),
            None => usage::core_features(conn, settings, now)?.into_iter().next(),
        };
        let hours = settings.number("targets.resolution_hours");
        // Every shipped placeholder has a value: the settings when set, else
        // plain words that read well (`csf today` says which to set).
        Ok(Drafts {
            product: settings.get("product.name").unwrap_or_else(|| DEFAULT_PRODUCT.into()),
            founder: settings.get("founder.name").unwrap_or_else(|| DEFAULT_FOUNDER.into()),
            first_step: settings.get("product.first_step").unwrap_or_else(|| DEFAULT_FIRST_STEP.into()),
            feature: feature.unwrap_or_else(|| DEFAULT_FEATURE.into()),
            timeframe: format!("{} hours", hours_text(hours)),
            from: settings.get("founder.email").map(|e| match settings.get("founder.name") {
                Some(n) => format!("{n} <{e}>"),
                None => e,
            }),
            update_url: settings.get("billing.update_url").unwrap_or_else(|| DEFAULT_UPDATE_URL.into()),
            texts: Default::default(),
            warnings: Default::default(),
        })
    }

    /// The placeholders' values for a draft to customer `c`: the greeting,
    /// company, plan and MRR, and the settings' words.
    pub fn values_for(&self, c: Option<&Customer>) -> BTreeMap<String, String> {
        let mut v = BTreeMap::new();
        let company = c.map_or("", |c| c.label());
        let id = c.map_or("", |c| c.id.as_str());
        let greet = greeting_name(
            c.and_then(|c| c.salutation.as_deref()),
            c.and_then(|c| c.contact_name.as_deref()),
            c.and_then(|c| c.email.as_deref()),
            &format!("{company} {id}"),
        );
        v.insert("name".to_string(), greet);
        if let Some(c) = c {
            v.insert("company".to_string(), c.label().to_string());
            v.insert("plan".to_string(), c.plan.clone().unwrap_or_else(|| "your plan".into()));
            if let Some(m) = c.mrr_cents {
                v.insert("mrr".to_string(), money_shown(m));
            }
        }
        for (k, val) in [
            ("product", &self.product),
            ("founder", &self.founder),
            ("first_step", &self.first_step),
            ("feature", &self.feature),
            ("update_url", &self.update_url),
        ] {
            v.insert(k.to_string(), val.clone());
        }
        v
    }

    /// Template `name` filled with `values` (each text read once).
    pub fn fill(&self, conn: &Connection, name: &str, values: &BTreeMap<String, String>) -> Result<Draft> {
        let mut texts = self.texts.borrow_mut();
        if !texts.contains_key(name) {
            // A template that cannot be read never stops the morning: the
            // shipped text is used, and the reason is said once.
            let text = match templates::text(conn, name) {
                Ok((t, _)) => t,
                Err(e) => match crate::domain::templates::default(name) {
                    Some(d) => {
                        self.warnings
                            .borrow_mut()
                            .push(format!("{e:#}; the shipped {name} template was used"));
                        d.text.to_string()
                    }
                    None => return Err(e),
                },
            };
            texts.insert(name.to_string(), text);
        }
        Ok(Draft { from: self.from.clone(), ..Draft::fill(name, &texts[name], values) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::templates::DEFAULTS;
    use crate::store::{self, customers};

    #[test]
    fn hours_read_as_people_say_them() {
        assert_eq!(hours_text(24.0), "24");
        assert_eq!(hours_text(1.5), "1.5");
        assert_eq!(hours_text(0.25), "0.3");
    }

    /// Every shipped outreach template, filled for every example customer,
    /// has no hole; the reply templates' own placeholders (`{explanation}`,
    /// `{team}`...) are the founder's to fill and are left out.
    #[test]
    fn every_default_template_renders_without_holes_on_the_example_data() {
        let now = crate::time::parse_now("2026-11-20T12:00:00Z").unwrap();
        let mut conn = store::open_memory().unwrap();
        crate::example::load(&mut conn, now).unwrap();
        let settings = Settings::from_stored(store::config::all(&conn).unwrap());
        let drafts = Drafts::new(&conn, &settings, now).unwrap();
        let people = customers::list(&conn).unwrap();
        assert!(people.len() >= 10);
        for t in DEFAULTS.iter().filter(|t| !["resolution", "escalation"].contains(&t.name)) {
            for c in &people {
                let mut v = drafts.values_for(Some(c));
                v.insert("customer".into(), c.label().into());
                v.insert("issue".into(), "the export".into());
                v.insert("timeframe".into(), drafts.timeframe.clone());
                // What the morning adds to every action's values (DraftMaker::fill).
                v.insert("reasons".into(), "payment failed".into());
                v.insert("last_active".into(), "2026-11-01".into());
                let d = drafts.fill(&conn, t.name, &v).unwrap();
                assert!(d.missing.is_empty(), "{} for {}: {:?}", t.name, c.id, d.missing);
                assert!(!d.shown().contains('{'), "{}: {}", t.name, d.text);
            }
        }
    }
}
