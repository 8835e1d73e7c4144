//! Two implementations of one workload must be told apart: with the same language, variant and
//! label they would be two identical rows of the report (for servers, one series with their
//! cases merged).

use std::collections::BTreeSet;

use toml::Spanned;

use super::{Context, RawImplementation};
use crate::error::UserError;
use crate::language::Language;
use crate::suite::{Claim, Variant};

/// What tells two implementations' rows apart in the report.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Identity<'a> {
    language: Language,
    variant: Variant,
    label: Option<&'a str>,
}

impl Context<'_> {
    pub(super) fn distinct_implementations(
        &self,
        implementations: &Spanned<Vec<RawImplementation>>,
        claim: Claim,
    ) -> Result<(), UserError> {
        let (what, why) = if claim == Claim::Backend {
            ("server", "the two servers' cases would merge in the report")
        } else {
            (
                "implementation",
                "the two would be identical rows in the report",
            )
        };
        let mut seen = BTreeSet::new();
        for implementation in implementations.get_ref() {
            let identity = Identity {
                language: implementation.language,
                variant: implementation.variant,
                label: implementation.label.as_ref().map(|l| l.get_ref().trim()),
            };
            let labelled = match identity.label {
                Some(label) => format!("labelled `{label}`"),
                None => "without a label".to_string(),
            };
            if !seen.insert(identity) {
                return Err(self.error(
                    Some(implementation.source.span().start),
                    &format!(
                        "a second {} {} {what} {labelled}: {why}",
                        implementation.language.name(),
                        implementation.variant.as_str(),
                    ),
                    "give each implementation a distinct `label`, e.g. label = \"FastAPI\" and \
                     label = \"Flask\", or remove the second",
                ));
            }
        }
        Ok(())
    }
}
