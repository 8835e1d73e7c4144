//! Output verification, on every run: the streamed SHA-256 of stdout against the expected digest,
//! or (for floating-point output) a token-by-token comparison with a numeric tolerance, the rule
//! of the Benchmarks Game's `ndiff -abserr`.

use std::sync::Arc;

use crate::digest::Digest;
use crate::measure::{CapturedOutput, HEAD_BYTES};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    pub abs: f64,
    pub rel: f64,
}

#[derive(Clone, Debug)]
pub enum Expected {
    /// Exactly these bytes; `bytes` is known when the manifest gave a file.
    Exact {
        sha256: Digest,
        bytes: Option<Arc<Vec<u8>>>,
    },
    /// Whitespace-separated tokens; numbers may differ within the tolerance.
    Tolerant {
        bytes: Arc<Vec<u8>>,
        tolerance: Tolerance,
    },
    /// Anything (`versus exec`: only the exit status counts).
    Anything,
}

impl Expected {
    /// How many bytes of stdout the runner must keep to check this.
    pub fn capture_limit(&self) -> usize {
        match self {
            Expected::Tolerant { bytes, .. } => bytes.len() * 2 + HEAD_BYTES,
            _ => HEAD_BYTES,
        }
    }
}

/// Why an output was rejected, with the first differing bytes when they can be known.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch(pub String);

/// Checks one run's output. `reference` is the head of an output already verified for the
/// same workload and size (another language's), used to show where a hash-only check differs.
pub fn check(
    expected: &Expected,
    actual: &CapturedOutput,
    reference: Option<&[u8]>,
) -> Result<(), Mismatch> {
    match expected {
        Expected::Anything => Ok(()),
        Expected::Exact { sha256, bytes } => {
            if actual.sha256 == *sha256 {
                return Ok(());
            }
            let known = bytes.as_deref().map(Vec::as_slice).or(reference);
            Err(Mismatch(match known {
                Some(want) => describe_difference(want, &actual.head, actual.len),
                None => format!(
                    "output ({} bytes, sha256 {}) differs from the expected sha256 {}; it begins {}",
                    actual.len,
                    actual.sha256.short(),
                    sha256.short(),
                    excerpt(&actual.head, 0)
                ),
            }))
        }
        Expected::Tolerant { bytes, tolerance } => {
            if actual.truncated {
                return Err(Mismatch(format!(
                    "output is {} bytes, far longer than the expected {} bytes",
                    actual.len,
                    bytes.len()
                )));
            }
            compare_tokens(bytes, &actual.head, *tolerance)
        }
    }
}

fn describe_difference(want: &[u8], got: &[u8], got_len: u64) -> String {
    let common = want.iter().zip(got).take_while(|(a, b)| a == b).count();
    if common == want.len().min(got.len()) && got_len as usize > got.len() {
        return format!(
            "output is {got_len} bytes; the first {} match, the expected output is {} bytes",
            got.len(),
            want.len()
        );
    }
    format!(
        "first difference at byte {common}: expected {}, got {}",
        excerpt(want, common),
        excerpt(got, common)
    )
}

/// Up to 40 bytes around `at`, escaped and quoted.
fn excerpt(bytes: &[u8], at: usize) -> String {
    let start = at.saturating_sub(16);
    let end = (at + 24).min(bytes.len());
    if start >= end {
        return "<end of output>".to_string();
    }
    let text: String = bytes[start..end].escape_ascii().to_string();
    format!(
        "\"{}{text}{}\"",
        if start > 0 { "…" } else { "" },
        if end < bytes.len() { "…" } else { "" }
    )
}

fn compare_tokens(want: &[u8], got: &[u8], tolerance: Tolerance) -> Result<(), Mismatch> {
    let want_text = String::from_utf8_lossy(want);
    let got_text = String::from_utf8_lossy(got);
    let mut want_tokens = want_text.split_whitespace();
    let mut got_tokens = got_text.split_whitespace();
    for index in 1.. {
        match (want_tokens.next(), got_tokens.next()) {
            (None, None) => return Ok(()),
            (Some(w), Some(g)) if w == g => {}
            (Some(w), Some(g)) => match (w.parse::<f64>(), g.parse::<f64>()) {
                (Ok(a), Ok(b)) if within(a, b, tolerance) => {}
                (Ok(a), Ok(b)) => {
                    return Err(Mismatch(format!(
                        "token {index}: expected {w}, got {g} (difference {:.3e} exceeds abs {:e} / rel {:e})",
                        (a - b).abs(),
                        tolerance.abs,
                        tolerance.rel
                    )));
                }
                _ => {
                    return Err(Mismatch(format!(
                        "token {index}: expected `{w}`, got `{g}`"
                    )));
                }
            },
            (Some(w), None) => {
                return Err(Mismatch(format!(
                    "output ends early: token {index} (`{w}`) is missing"
                )));
            }
            (None, Some(g)) => {
                return Err(Mismatch(format!(
                    "output has more tokens than expected, from token {index} (`{g}`)"
                )));
            }
        }
    }
    unreachable!("the token loop returns")
}

fn within(a: f64, b: f64, tolerance: Tolerance) -> bool {
    let diff = (a - b).abs();
    diff <= tolerance.abs || diff <= tolerance.rel * a.abs().max(b.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captured(bytes: &[u8]) -> CapturedOutput {
        CapturedOutput {
            sha256: Digest::of(bytes),
            len: bytes.len() as u64,
            head: bytes.to_vec(),
            truncated: false,
        }
    }

    #[test]
    fn exact_match_passes_and_difference_is_located() {
        let want = b"-0.169075164\n-0.169087605\n".to_vec();
        let expected = Expected::Exact {
            sha256: Digest::of(&want),
            bytes: Some(Arc::new(want.clone())),
        };
        assert_eq!(check(&expected, &captured(&want), None), Ok(()));
        let err = check(&expected, &captured(b"-0.169075164\n-0.169087606\n"), None).unwrap_err();
        assert!(
            err.0.starts_with("first difference at byte 24"),
            "{}",
            err.0
        );
        assert!(err.0.contains("605"), "{}", err.0);
    }

    #[test]
    fn hash_only_mismatch_uses_the_reference_when_given() {
        let expected = Expected::Exact {
            sha256: Digest::of(b"hello, world\n"),
            bytes: None,
        };
        let without = check(&expected, &captured(b"hello, word\n"), None).unwrap_err();
        assert!(
            without.0.contains("differs from the expected sha256"),
            "{}",
            without.0
        );
        let with = check(
            &expected,
            &captured(b"hello, word\n"),
            Some(b"hello, world\n"),
        )
        .unwrap_err();
        assert!(
            with.0.starts_with("first difference at byte 10"),
            "{}",
            with.0
        );
    }

    #[test]
    fn tolerance_accepts_rounding_and_rejects_real_errors() {
        let expected = Expected::Tolerant {
            bytes: Arc::new(b"energy -0.169075164\n".to_vec()),
            tolerance: Tolerance {
                abs: 1e-8,
                rel: 0.0,
            },
        };
        assert!(check(&expected, &captured(b"energy  -0.169075165\n"), None).is_ok());
        let err = check(&expected, &captured(b"energy -0.169075264\n"), None).unwrap_err();
        assert!(err.0.starts_with("token 2"), "{}", err.0);
        let err = check(&expected, &captured(b"energy\n"), None).unwrap_err();
        assert!(err.0.contains("ends early"), "{}", err.0);
        let err = check(&expected, &captured(b"Energy -0.169075164\n"), None).unwrap_err();
        assert!(err.0.contains("`energy`"), "{}", err.0);
    }

    #[test]
    fn relative_tolerance_scales_with_magnitude() {
        let t = Tolerance {
            abs: 0.0,
            rel: 1e-6,
        };
        assert!(within(1e9, 1e9 + 100.0, t));
        assert!(!within(1.0, 1.0 + 1e-5, t));
    }
}
