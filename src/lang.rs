//! The languages of human-facing text: Vietnamese and English.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language for statuses, headings, diagnostics and help lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Tiếng Việt, the default: plan files are written in it.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Picks the text in this language.
    ///
    /// ```
    /// use chitieu::lang::Lang;
    /// assert_eq!(Lang::En.pick("đạt", "met"), "met");
    /// ```
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// The language's code, `vi` or `en`.
    pub fn code(self) -> &'static str {
        self.pick("vi", "en")
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Lang, String> {
        match s {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            other => Err(format!(
                "unknown language `{other}` (expected `vi` or `en`)"
            )),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
