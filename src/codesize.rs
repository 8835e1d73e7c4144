//! Source size as the Benchmarks Game measures it: comments stripped, whitespace collapsed,
//! gzip-compressed (level 1), in bytes; plus the count of lines that are neither blank nor
//! comments. A proxy for the effort a program takes to write, not a measure of learnability.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

use crate::digest;
use crate::language::Language;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSize {
    /// Lines that hold code (not blank, not only a comment).
    pub lines: u64,
    /// gzip (level 1) of the source with comments removed and whitespace collapsed.
    pub gzip_bytes: u64,
}

/// The size of a source file, or of every source file of the language below a folder.
pub fn measure(source: &Path, language: Language) -> std::io::Result<CodeSize> {
    let extension = match language {
        Language::Go => "go",
        Language::Python => "py",
    };
    let mut files = Vec::new();
    if source.is_dir() {
        digest::collect_files(source, digest::SKIP_CACHES, &mut files)?;
        files.retain(|f| f.extension().is_some_and(|e| e == extension));
        files.sort();
    } else {
        files.push(source.to_path_buf());
    }
    let mut code = String::new();
    for file in files {
        code.push_str(&strip_comments(&std::fs::read_to_string(file)?, language));
        code.push('\n');
    }
    let lines = code.lines().filter(|l| !l.trim().is_empty()).count() as u64;
    let collapsed: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut gzip = GzEncoder::new(Vec::new(), Compression::fast());
    gzip.write_all(collapsed.as_bytes())?;
    Ok(CodeSize {
        lines,
        gzip_bytes: gzip.finish()?.len() as u64,
    })
}

/// The source without its comments (`#` in Python; `//` and `/* */` in Go), strings kept.
pub fn strip_comments(source: &str, language: Language) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &source[i..];
        let skip = match language {
            Language::Python if rest.starts_with('#') => rest.find('\n').unwrap_or(rest.len()),
            Language::Go if rest.starts_with("//") => rest.find('\n').unwrap_or(rest.len()),
            Language::Go if rest.starts_with("/*") => rest.find("*/").map_or(rest.len(), |e| e + 2),
            _ => 0,
        };
        if skip > 0 {
            // A block comment's line breaks stay, so the lines around it stay apart.
            if rest.starts_with("/*") {
                out.extend(rest[..skip].matches('\n').map(|_| '\n'));
            }
            i += skip;
            continue;
        }
        let literal = literal_len(rest, language);
        let take = if literal > 0 {
            literal
        } else {
            rest.chars().next().map_or(1, char::len_utf8)
        };
        out.push_str(&rest[..take]);
        i += take;
    }
    out
}

/// The length of a string (or rune) literal starting `text`, 0 if none starts there.
fn literal_len(text: &str, language: Language) -> usize {
    let quotes: &[&str] = match language {
        Language::Python => &["\"\"\"", "'''", "\"", "'"],
        Language::Go => &["`", "\"", "'"],
    };
    let Some(quote) = quotes.iter().find(|q| text.starts_with(**q)) else {
        return 0;
    };
    let raw = *quote == "`";
    let mut i = quote.len();
    while i < text.len() {
        let rest = &text[i..];
        if !raw && rest.starts_with('\\') {
            i += 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
        } else if rest.starts_with(quote) {
            return i + quote.len();
        } else if rest.starts_with('\n') && quote.len() == 1 && !raw {
            return i; // an unterminated one-line string: stop at the line's end
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_comments_go_strings_stay() {
        let source =
            "x = '# not a comment'  # a comment\n\"\"\"doc # kept\"\"\"\n# whole line\ny = 2\n";
        assert_eq!(
            strip_comments(source, Language::Python),
            "x = '# not a comment'  \n\"\"\"doc # kept\"\"\"\n\ny = 2\n"
        );
    }

    #[test]
    fn go_comments_go_strings_and_runes_stay() {
        let source = "s := \"// kept\" // gone\nr := '/' /* gone\nstill gone */ t := `/* raw */`\n";
        assert_eq!(
            strip_comments(source, Language::Go),
            "s := \"// kept\" \nr := '/' \n t := `/* raw */`\n"
        );
    }

    #[test]
    fn size_counts_code_lines_and_compresses() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.py");
        std::fs::write(&file, "# header\n\nimport sys\n\nprint(sys.argv)  # show\n").unwrap();
        let size = measure(&file, Language::Python).unwrap();
        assert_eq!(size.lines, 2);
        assert!(size.gzip_bytes > 20 && size.gzip_bytes < 60, "{size:?}");
    }
}
