//! The languages versus compares: a closed registry, never loose strings compared in ten places.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Go,
    Python,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Go, Language::Python];

    pub fn name(self) -> &'static str {
        match self {
            Language::Go => "go",
            Language::Python => "python",
        }
    }

    /// `Python`, `Go`: as prose names them.
    pub fn title(self) -> &'static str {
        match self {
            Language::Go => "Go",
            Language::Python => "Python",
        }
    }

    pub fn parse(name: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|lang| lang.name().eq_ignore_ascii_case(name.trim()))
    }

    /// What to tell a user whose machine lacks the language.
    pub fn install_hint(self) -> &'static str {
        match self {
            Language::Go => {
                "install Go from https://go.dev/dl/ (or `apt-get install golang`), or pass --go PATH"
            }
            Language::Python => {
                "install CPython 3 (`apt-get install python3`) or PyPy (`apt-get install pypy3`), or pass --python PATH"
            }
        }
    }

    /// The language a comparison is measured against: ratios read "Python takes N× Go's time".
    pub fn is_baseline(self) -> bool {
        self == Language::Go
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
