//! The request, serialised once: every send writes the same bytes (wrk and oha's fast path do the
//! same), so building a request costs nothing per request.

use std::io::Write;

use super::spec::LoadSpec;

/// The bytes of one HTTP/1.1 request: head and body.
pub fn serialise(spec: &LoadSpec) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(256 + spec.body.len());
    // Writing into a Vec cannot fail.
    let _ = write!(
        bytes,
        "{} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: versus/{}\r\nAccept: */*\r\n",
        spec.method,
        spec.target.path,
        spec.target.host_header(),
        env!("CARGO_PKG_VERSION"),
    );
    if !spec.body.is_empty() || sends_body(&spec.method) {
        let _ = write!(
            bytes,
            "Content-Type: {}\r\nContent-Length: {}\r\n",
            content_type(&spec.body),
            spec.body.len()
        );
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(&spec.body);
    bytes
}

/// Methods whose requests carry a body by convention, so an empty one is announced.
fn sends_body(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH")
}

/// JSON when the body parses as JSON (the APIs versus drives take JSON), else opaque bytes.
fn content_type(body: &[u8]) -> &'static str {
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
        "application/json"
    } else {
        "application/octet-stream"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::spec::{Mode, Target};
    use std::time::Duration;

    fn spec(method: &str, body: &[u8]) -> LoadSpec {
        LoadSpec {
            target: Target::resolve("http://127.0.0.1:8080/json?x=1").unwrap(),
            method: method.into(),
            body: body.to_vec(),
            connections: 1,
            threads: 1,
            duration: Duration::from_secs(1),
            warmup: Duration::ZERO,
            timeout: Duration::from_secs(1),
            mode: Mode::Closed,
            expected_body: None,
            stop: None,
            server_pid: None,
        }
    }

    #[test]
    fn get_has_no_body_headers() {
        let text = String::from_utf8(serialise(&spec("GET", b""))).unwrap();
        assert!(text.starts_with("GET /json?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
        assert!(!text.contains("Content-Length"));
        assert!(text.ends_with("\r\n\r\n"));
    }

    #[test]
    fn post_carries_its_body_and_length() {
        let text = String::from_utf8(serialise(&spec("POST", br#"{"a":1}"#))).unwrap();
        assert!(text.contains("Content-Type: application/json\r\nContent-Length: 7\r\n\r\n"));
        assert!(text.ends_with(r#"{"a":1}"#));
        let opaque = String::from_utf8(serialise(&spec("POST", b"not json"))).unwrap();
        assert!(opaque.contains("application/octet-stream"));
        let empty = String::from_utf8(serialise(&spec("POST", b""))).unwrap();
        assert!(empty.contains("Content-Length: 0\r\n"));
    }
}
