//! Text that versus did not write itself (a program's stderr, manifest strings, paths, a
//! server's answers) made safe to print: control characters are shown escaped (`\x1b`), so a
//! program cannot retitle, clear or recolour the user's terminal through versus.
//!
//! One function, [`printable`], decides what is escaped; [`Printable`] applies it to a whole
//! output stream (the text renderers write through it), and the lines versus prints on stderr
//! (progress, warnings, errors) go through it too.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// `text` with every control character escaped, except the newlines and tabs of its layout.
/// C0 controls and DEL are shown as `\x1b`, C1 controls (which some terminals obey as escape
/// sequences too) as `\u{9b}`. A carriage return ends a line: `\r\n` (Windows line ends) is
/// `\n`, and a lone `\r` (a progress bar redrawing its line) is `\n` too, so that what it
/// would have overwritten stays readable and nothing is drawn over versus's own text.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape_with(text, |c, shown| {
        if c.is_ascii() {
            let _ = write!(shown, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(shown, "\\u{{{:x}}}", c as u32);
        }
    })
}

/// JSON (as serde_json writes it) with the control characters serde leaves as they are (DEL
/// and C1; it escapes the C0 ones) written as `\u007f`: they can only be inside strings.
pub fn json_printable(json: &str) -> Cow<'_, str> {
    escape_with(json, |c, shown| {
        let _ = write!(shown, "\\u{:04x}", c as u32);
    })
}

/// HTML with every control character written as a character reference (`&#x1b;`): a browser
/// shows it, a terminal the page is printed to does not obey it.
pub fn html_printable(html: &str) -> Cow<'_, str> {
    escape_with(html, |c, shown| {
        let _ = write!(shown, "&#x{:x};", c as u32);
    })
}

fn escape_with(text: &str, escape: impl Fn(char, &mut String)) -> Cow<'_, str> {
    if !text.chars().any(|c| is_escaped(c) || c == '\r') {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => shown.push('\n'),
            c if is_escaped(c) => escape(c, &mut shown),
            c => shown.push(c),
        }
    }
    Cow::Owned(shown)
}

fn is_escaped(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t' && c != '\r'
}

/// A writer that passes everything through [`printable`]. Bytes that are not UTF-8 are shown
/// as `\xNN`; a character split across two writes is held until its end arrives.
pub struct Printable<W: Write> {
    inner: W,
    pending: Vec<u8>,
    escape: fn(&str) -> Cow<'_, str>,
}

impl<W: Write> Printable<W> {
    pub fn new(inner: W) -> Printable<W> {
        Printable::with(inner, printable)
    }

    /// For JSON: see [`json_printable`].
    pub fn json(inner: W) -> Printable<W> {
        Printable::with(inner, json_printable)
    }

    /// For HTML: see [`html_printable`].
    pub fn html(inner: W) -> Printable<W> {
        Printable::with(inner, html_printable)
    }

    fn with(inner: W, escape: fn(&str) -> Cow<'_, str>) -> Printable<W> {
        Printable {
            inner,
            pending: Vec::new(),
            escape,
        }
    }
}

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut start = 0;
        while start < self.pending.len() {
            let rest = &self.pending[start..];
            let (valid, invalid) = match std::str::from_utf8(rest) {
                Ok(text) => (text, None),
                Err(err) => {
                    // Only the part that is known to be UTF-8.
                    let text = std::str::from_utf8(&rest[..err.valid_up_to()]).unwrap_or("");
                    (text, Some(err.error_len()))
                }
            };
            self.inner.write_all((self.escape)(valid).as_bytes())?;
            start += valid.len();
            match invalid {
                None => break,
                // An incomplete character at the end: wait for the rest of it.
                Some(None) => break,
                Some(Some(len)) => {
                    for byte in &self.pending[start..start + len] {
                        write!(self.inner, "\\x{byte:02x}")?;
                    }
                    start += len;
                }
            }
        }
        self.pending.drain(..start);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The name of a signal that ends programs, as `kill -l` prints it.
pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGINT => "SIGINT",
        libc::SIGPIPE => "SIGPIPE",
        _ => "signal",
    }
}

/// `value` as pretty JSON and a newline, through [`Printable::json`]: strings from manifests
/// and programs' output in it are escaped, never obeyed by a terminal it is printed to.
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    let mut out = Printable::json(out);
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)
}

/// The last `n` lines of `text` that hold something, joined with ` | ` (a stderr tail on one
/// line). A carriage return ends a line too: a progress bar's last states are its last lines.
pub fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .split(['\n', '\r'])
        .filter(|line| !line.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        let hostile = "\u{1b}]0;PWNED\u{7}\u{1b}[2J done\r";
        assert_eq!(printable(hostile), "\\x1b]0;PWNED\\x07\\x1b[2J done\n");
        assert_eq!(printable("csi \u{9b}2J"), "csi \\u{9b}2J");
        assert_eq!(printable("del \u{7f}"), "del \\x7f");
    }

    #[test]
    fn a_carriage_return_ends_a_line() {
        assert_eq!(printable("a\r\nb\r\n"), "a\nb\n");
        assert_eq!(printable("10%\r50%\r100%"), "10%\n50%\n100%");
    }

    #[test]
    fn json_and_html_keep_their_form_and_lose_their_controls() {
        let json = "{\"detail\": \"csi \u{9b}2J del \u{7f} \\u001b\"}";
        assert_eq!(
            json_printable(json),
            "{\"detail\": \"csi \\u009b2J del \\u007f \\u001b\"}"
        );
        let value: serde_json::Value = serde_json::from_str(&json_printable(json)).unwrap();
        assert_eq!(value["detail"], "csi \u{9b}2J del \u{7f} \u{1b}");
        assert_eq!(
            html_printable("<p>\u{1b}[2J \u{9b}</p>\n"),
            "<p>&#x1b;[2J &#x9b;</p>\n"
        );
    }

    #[test]
    fn layout_and_ordinary_text_are_kept_as_they_are() {
        let text = "a\tb\nnaïve é 漢字 ✓";
        assert!(matches!(printable(text), Cow::Borrowed(_)));
        assert_eq!(printable(text), text);
    }

    #[test]
    fn the_writer_escapes_across_split_writes_and_bad_bytes() {
        let mut out = Printable::new(Vec::new());
        let bytes = "é\u{1b}[2J".as_bytes();
        // The two bytes of `é` arrive in two writes.
        out.write_all(&bytes[..1]).unwrap();
        out.write_all(&bytes[1..]).unwrap();
        out.write_all(b" \xff end\n").unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "é\\x1b[2J \\xff end\n"
        );
    }
}
