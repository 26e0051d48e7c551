//! Every user-visible string of the pages comes from Fluent resources under
//! `locales/<lang>/`. English is complete; another language is a folder of `.ftl`
//! files and one line in `LOCALES`. A missing message shows its key, so that a gap
//! is visible rather than silent.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The languages Tripart ships: (tag, Fluent source).
const LOCALES: &[(&str, &str)] = &[("en", include_str!("../locales/en/main.ftl"))];

pub const DEFAULT_LANG: &str = "en";

pub struct Localizer {
    bundles: Vec<(String, FluentBundle<FluentResource>)>,
}

impl Localizer {
    /// Builds the bundles. The resources are part of the binary and checked by a
    /// test, so a broken one is a build-time bug: it is logged and skipped.
    pub fn load() -> Self {
        let mut bundles = Vec::new();
        for (tag, source) in LOCALES {
            let Ok(lang) = tag.parse::<LanguageIdentifier>() else { continue };
            let resource = match FluentResource::try_new((*source).to_string()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    tracing::error!(?errors, "Fluent resource for {tag} has errors");
                    r
                }
            };
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            bundle.set_use_isolating(false);
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(?errors, "Fluent resource for {tag} could not be added");
            }
            bundles.push(((*tag).to_string(), bundle));
        }
        Localizer { bundles }
    }

    /// The best supported language for an Accept-Language header or `?lang=`.
    pub fn negotiate(&self, requested: Option<&str>) -> String {
        let wanted = requested.unwrap_or_default();
        for part in wanted.split(',') {
            let tag = part.split(';').next().unwrap_or_default().trim().to_lowercase();
            let primary = tag.split('-').next().unwrap_or_default();
            if let Some((t, _)) = self.bundles.iter().find(|(t, _)| *t == tag || t == primary) {
                return t.clone();
            }
        }
        DEFAULT_LANG.to_string()
    }

    /// The best supported language for a request's Accept-Language header.
    pub fn for_request(&self, headers: &axum::http::HeaderMap) -> String {
        self.negotiate(headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
    }

    pub fn languages(&self) -> Vec<String> {
        self.bundles.iter().map(|(t, _)| t.clone()).collect()
    }

    fn bundle(&self, lang: &str) -> Option<&FluentBundle<FluentResource>> {
        self.bundles
            .iter()
            .find(|(t, _)| t == lang)
            .or_else(|| self.bundles.iter().find(|(t, _)| t == DEFAULT_LANG))
            .map(|(_, b)| b)
    }

    /// The message `key` in `lang`, with arguments.
    pub fn message(&self, lang: &str, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let Some(bundle) = self.bundle(lang) else { return key.to_string() };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, if args.is_empty() { None } else { Some(&fargs) }, &mut errors).into_owned()
    }

    /// Whether `lang` has a message for `key` (for the completeness test).
    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.bundle(lang).is_some_and(|b| b.has_message(key))
    }
}
