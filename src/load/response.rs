//! Framing an HTTP/1.1 response: where its head ends (httparse, zero-copy), how long its body is
//! (Content-Length, chunked transfer coding, or up to the server's close), and whether the
//! connection stays open. A response with neither length nor chunked coding ends when the server
//! closes the connection (RFC 9112 §6.3 rule 8, how HTTP/1.0 servers answer), so it always
//! closes it. With `--expect-body`, [`BodyCheck`] compares the body as it arrives, so no body is
//! ever kept.

use std::sync::Arc;

/// Headers read per response; more is a bad response (real servers send fewer than 20).
const MAX_HEADERS: usize = 64;

/// Why a response was rejected (kept for debugging; only the kind is counted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadResponse(pub &'static str);

/// How the body ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// No body (HEAD, 204, 304).
    Empty,
    Length(u64),
    Chunked,
    /// Neither length nor chunked coding: the body is every byte until the server closes the
    /// connection (RFC 9112 §6.3 rule 8), which therefore is never reused.
    UntilClose,
}

/// What is kept of a complete response head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    pub framing: Framing,
    /// The server will close the connection after this response.
    pub close: bool,
    /// Bytes of the head, up to and including the empty line.
    pub len: usize,
}

/// Parses the head at the start of `bytes`; `None` until it is complete.
pub fn parse_head(bytes: &[u8], head_request: bool) -> Result<Option<Head>, BadResponse> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let len = match response.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(BadResponse("too many headers")),
        Err(_) => return Err(BadResponse("malformed head")),
    };
    let status = response.code.unwrap_or(0);
    let mut length: Option<u64> = None;
    let mut chunked = false;
    let mut close = response.version == Some(0);
    for header in response.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("content-length") {
            let value = parse_length(header.value).ok_or(BadResponse("bad Content-Length"))?;
            if length.is_some_and(|l| l != value) {
                return Err(BadResponse("conflicting Content-Length"));
            }
            length = Some(value);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // Only a final `chunked` frames the body (RFC 9112 §6.3); anything else needs a close.
            if !last_token_is(header.value, b"chunked") {
                return Err(BadResponse("transfer coding other than chunked"));
            }
            chunked = true;
        } else if name.eq_ignore_ascii_case("connection") {
            if has_token(header.value, b"close") {
                close = true;
            } else if has_token(header.value, b"keep-alive") {
                close = false;
            }
        }
    }
    let framing = if head_request || status == 204 || status == 304 {
        Framing::Empty
    } else if (100..200).contains(&status) {
        return Err(BadResponse("interim (1xx) response"));
    } else if chunked {
        Framing::Chunked
    } else if let Some(length) = length {
        Framing::Length(length)
    } else {
        Framing::UntilClose
    };
    Ok(Some(Head {
        status,
        framing,
        // Only the close ends such a body, whatever `Connection` said.
        close: close || framing == Framing::UntilClose,
        len,
    }))
}

fn parse_length(value: &[u8]) -> Option<u64> {
    let value = value.trim_ascii();
    if value.is_empty() || value.len() > 19 || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(value.iter().fold(0, |n, d| n * 10 + u64::from(d - b'0')))
}

fn tokens(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|&b| b == b',').map(<[u8]>::trim_ascii)
}

fn has_token(value: &[u8], token: &[u8]) -> bool {
    tokens(value).any(|t| t.eq_ignore_ascii_case(token))
}

fn last_token_is(value: &[u8], token: &[u8]) -> bool {
    tokens(value)
        .last()
        .is_some_and(|t| t.eq_ignore_ascii_case(token))
}

/// Where a chunked body is (RFC 9112 §7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ChunkState {
    Size,
    Data(u64),
    DataEnd,
    Trailer,
    Done,
}

/// Consumes a chunked body incrementally, without copying or keeping it.
#[derive(Clone, Copy, Debug)]
pub struct Chunked {
    state: ChunkState,
}

/// What [`Chunked::feed`] did with the bytes it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fed {
    /// Leading bytes used; the rest must be kept and fed again with more.
    pub consumed: usize,
    pub done: bool,
}

impl Chunked {
    pub fn new() -> Chunked {
        Chunked {
            state: ChunkState::Size,
        }
    }

    /// Consumes what it can of `bytes`, handing each piece of chunk data, in order, to
    /// `on_data` (pieces borrow from `bytes`: nothing is copied).
    pub fn feed(
        &mut self,
        bytes: &[u8],
        mut on_data: impl FnMut(&[u8]),
    ) -> Result<Fed, BadResponse> {
        let mut pos = 0;
        loop {
            let rest = &bytes[pos..];
            let used = match self.state {
                ChunkState::Done => break,
                ChunkState::Size => match httparse::parse_chunk_size(rest) {
                    Ok(httparse::Status::Complete((used, 0))) => {
                        self.state = ChunkState::Trailer;
                        used
                    }
                    Ok(httparse::Status::Complete((used, size))) => {
                        self.state = ChunkState::Data(size);
                        used
                    }
                    Ok(httparse::Status::Partial) => break,
                    Err(_) => return Err(BadResponse("bad chunk size")),
                },
                ChunkState::Data(left) => {
                    let used = left.min(rest.len() as u64);
                    self.state = if used == left {
                        ChunkState::DataEnd
                    } else {
                        ChunkState::Data(left - used)
                    };
                    on_data(&rest[..used as usize]);
                    used as usize
                }
                ChunkState::DataEnd => match rest {
                    [b'\r', b'\n', ..] => {
                        self.state = ChunkState::Size;
                        2
                    }
                    [] | [b'\r'] => break,
                    _ => return Err(BadResponse("chunk not followed by CRLF")),
                },
                ChunkState::Trailer => match rest.windows(2).position(|w| w == b"\r\n") {
                    Some(0) => {
                        self.state = ChunkState::Done;
                        2
                    }
                    Some(line) => line + 2,
                    None => break,
                },
            };
            if used == 0 {
                break;
            }
            pos += used;
        }
        Ok(Fed {
            consumed: pos,
            done: self.state == ChunkState::Done,
        })
    }
}

/// Compares a body, piece by piece as it is read, against the expected bytes: no copy, no
/// allocation, whatever the framing. Without an expectation every body matches. One lives as long
/// as its connection and is [`started`](BodyCheck::start) again for each answer.
#[derive(Clone, Debug)]
pub struct BodyCheck {
    expected: Option<Arc<[u8]>>,
    /// Body bytes seen so far (all equal to the expected ones while `matches`).
    seen: usize,
    matches: bool,
}

impl BodyCheck {
    pub fn new(expected: Option<Arc<[u8]>>) -> BodyCheck {
        BodyCheck {
            expected,
            seen: 0,
            matches: true,
        }
    }

    /// Forgets the previous body: the next piece fed is the first of a new one.
    #[inline]
    pub fn start(&mut self) {
        self.seen = 0;
        self.matches = true;
    }

    /// The next piece of the body.
    #[inline]
    pub fn feed(&mut self, piece: &[u8]) {
        let Some(expected) = &self.expected else {
            return;
        };
        if self.matches {
            let end = self.seen.saturating_add(piece.len());
            self.matches = expected.get(self.seen..end) == Some(piece);
            self.seen = end;
        }
    }

    /// Whether the whole body was the expected one: every byte equal, and none missing.
    #[inline]
    pub fn matched(&self) -> bool {
        self.expected
            .as_ref()
            .is_none_or(|expected| self.matches && self.seen == expected.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Option<Head>, BadResponse> {
        parse_head(text.as_bytes(), false)
    }

    #[test]
    fn content_length_response() {
        let text =
            "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: application/json\r\n\r\n";
        let parsed = head(text).unwrap().unwrap();
        assert_eq!(parsed.status, 200);
        assert_eq!(parsed.framing, Framing::Length(13));
        assert!(!parsed.close);
        assert_eq!(parsed.len, text.len());
    }

    #[test]
    fn partial_heads_wait_for_more() {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n";
        for end in 0..text.len() {
            assert_eq!(head(&text[..end]), Ok(None), "{end}");
        }
    }

    #[test]
    fn connection_close_and_http_1_0() {
        let close = head("HTTP/1.1 500 X\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        assert!(close.unwrap().unwrap().close);
        let old = head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        assert!(old.unwrap().unwrap().close);
        let kept = head("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n");
        assert!(!kept.unwrap().unwrap().close);
    }

    #[test]
    fn a_body_without_length_or_chunks_ends_at_the_close() {
        for text in [
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n",
            "HTTP/1.1 200 OK\r\n\r\n",
            // Keep-alive cannot hold: nothing else tells where the body ends.
            "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n",
        ] {
            let parsed = head(text).unwrap().unwrap();
            assert_eq!(parsed.framing, Framing::UntilClose, "{text}");
            assert!(parsed.close, "{text}");
            assert_eq!(parsed.len, text.len());
        }
    }

    #[test]
    fn heads_that_cannot_be_framed_are_bad() {
        assert!(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").is_err());
        assert!(head("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n").is_err());
        assert!(head("HTTP/1.1 100 Continue\r\n\r\n").is_err());
        assert!(head("garbage\r\n\r\n").is_err());
        let empty = head("HTTP/1.1 204 No Content\r\n\r\n").unwrap().unwrap();
        assert_eq!(empty.framing, Framing::Empty);
        let of_head = parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", true);
        assert_eq!(of_head.unwrap().unwrap().framing, Framing::Empty);
    }

    #[test]
    fn chunked_framing_is_recognised() {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(head(text).unwrap().unwrap().framing, Framing::Chunked);
    }

    const BODY: &[u8] = b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n";

    #[test]
    fn chunked_body_in_one_piece() {
        let fed = Chunked::new().feed(BODY, |_| {}).unwrap();
        assert_eq!(
            fed,
            Fed {
                consumed: BODY.len(),
                done: true
            }
        );
    }

    #[test]
    fn chunked_body_byte_by_byte_and_in_any_split() {
        for split in 0..BODY.len() {
            // The caller keeps unconsumed bytes and feeds them again with the next read.
            let mut decoder = Chunked::new();
            let mut pending: Vec<u8> = Vec::new();
            let mut done = false;
            for piece in [&BODY[..split], &BODY[split..]] {
                for &byte in piece {
                    pending.push(byte);
                    let fed = decoder.feed(&pending, |_| {}).unwrap();
                    pending.drain(..fed.consumed);
                    done = fed.done;
                }
            }
            assert!(done && pending.is_empty(), "split at {split}");
        }
    }

    #[test]
    fn malformed_chunks_are_bad() {
        assert!(Chunked::new().feed(b"zz\r\n", |_| {}).is_err());
        assert!(Chunked::new().feed(b"2\r\nabXY", |_| {}).is_err());
        let partial = Chunked::new().feed(b"5\r\nhel", |_| {}).unwrap();
        assert_eq!(
            partial,
            Fed {
                consumed: 6,
                done: false
            }
        );
    }

    fn check(expected: &[u8], pieces: &[&[u8]]) -> bool {
        let mut check = BodyCheck::new(Some(expected.into()));
        for piece in pieces {
            check.feed(piece);
        }
        check.matched()
    }

    #[test]
    fn body_check_needs_every_byte_and_no_more() {
        assert!(check(b"hello", &[b"hello"]));
        assert!(check(b"hello", &[b"he", b"", b"llo"]));
        assert!(check(b"", &[]));
        assert!(!check(b"hello", &[b"hellO"]));
        assert!(!check(b"hello", &[b"hell"]), "a missing byte");
        assert!(!check(b"hello", &[b"hello", b"!"]), "a byte too many");
        assert!(!check(b"hello", &[b"jello"]));
        assert!(!check(b"", &[b"x"]));
        // Once wrong, later bytes cannot make it right again.
        assert!(!check(b"ab", &[b"x", b"b"]));
        // The same check, started again, judges the next body afresh.
        let mut reused = BodyCheck::new(Some(b"ok"[..].into()));
        reused.feed(b"no");
        assert!(!reused.matched());
        reused.start();
        reused.feed(b"ok");
        assert!(reused.matched());
        let mut none = BodyCheck::new(None);
        none.feed(b"anything");
        assert!(none.matched());
    }

    /// `5\r\nhello\r\n7;ext=1\r\n, world\r\n0…`: the data is `hello, world`.
    #[test]
    fn chunked_data_is_compared_in_any_split() {
        for (expected, wanted) in [(&b"hello, world"[..], true), (b"hello, World", false)] {
            for split in 0..BODY.len() {
                let mut decoder = Chunked::new();
                let mut check = BodyCheck::new(Some(expected.into()));
                let mut pending: Vec<u8> = Vec::new();
                for piece in [&BODY[..split], &BODY[split..]] {
                    pending.extend_from_slice(piece);
                    let fed = decoder.feed(&pending, |data| check.feed(data)).unwrap();
                    pending.drain(..fed.consumed);
                }
                assert_eq!(check.matched(), wanted, "split at {split}");
            }
        }
    }
}
