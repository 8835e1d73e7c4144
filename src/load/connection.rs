//! One keep-alive connection: writes the pre-serialised request, reads the answer into a buffer
//! that lives as long as the connection task (reused across requests and reconnects), and frames
//! it with [`super::response`]. Bodies are read and dropped, never kept (compared on the way
//! with `--expect-body`). Nothing here allocates per request; the buffer only grows for an
//! unusually large head.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::recorder::ErrorKind;
use super::response::{self, BodyCheck, Chunked, Framing, Head};

/// Enough for the head and body of a typical API answer in one read.
const INITIAL_BUFFER_BYTES: usize = 16 * 1024;
/// A head (or a chunk-size line) longer than this is a bad response.
const MAX_HEAD_BYTES: usize = 1024 * 1024;

/// What the generator needs from a complete answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// The server closes the connection after it: reconnect before the next request.
    pub close: bool,
    /// The body was byte for byte the expected one (always true without an expectation).
    pub body_matches: bool,
}

/// A connection slot: its socket when open, its read buffer, and the check of answers' bodies.
pub struct Connection {
    stream: Option<TcpStream>,
    buf: Vec<u8>,
    /// Kept here rather than passed per request: a larger exchange future costs a larger copy
    /// per request (+35 instructions of memcpy under cachegrind, ~1%).
    body: BodyCheck,
}

impl Connection {
    /// A closed slot whose answers' bodies must be `expected`, when given.
    pub fn new(expected: Option<Arc<[u8]>>) -> Connection {
        Connection {
            stream: None,
            buf: vec![0; INITIAL_BUFFER_BYTES],
            body: BodyCheck::new(expected),
        }
    }

    pub fn is_open(&self) -> bool {
        self.stream.is_some()
    }

    pub fn close(&mut self) {
        self.stream = None;
    }

    /// Opens the socket with TCP_NODELAY: a request is one small write that must leave at once,
    /// not wait for Nagle's algorithm and the server's delayed ACK.
    pub async fn connect(&mut self, addr: SocketAddr) -> Result<(), ErrorKind> {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|_| ErrorKind::Connect)?;
        stream.set_nodelay(true).map_err(|_| ErrorKind::Connect)?;
        self.stream = Some(stream);
        Ok(())
    }

    /// Sends `request` and reads one complete answer, comparing its body with the expected one.
    /// On any error the caller closes the slot.
    pub async fn exchange(
        &mut self,
        request: &[u8],
        head_request: bool,
    ) -> Result<Answer, ErrorKind> {
        let stream = self.stream.as_mut().ok_or(ErrorKind::Io)?;
        stream.write_all(request).await.map_err(|_| ErrorKind::Io)?;
        self.read_answer(head_request).await
    }

    async fn read_answer(&mut self, head_request: bool) -> Result<Answer, ErrorKind> {
        self.body.start();
        let mut filled = 0;
        let head = loop {
            filled += self.read_more(filled).await?;
            let parsed = response::parse_head(&self.buf[..filled], head_request);
            if let Some(head) = parsed.map_err(|_| ErrorKind::BadResponse)? {
                break head;
            }
        };
        match head.framing {
            Framing::Empty if filled != head.len => return Err(ErrorKind::BadResponse),
            Framing::Empty => {}
            Framing::Length(length) => self.read_body(head.len..filled, length).await?,
            Framing::Chunked => self.read_chunked(&head, filled).await?,
            Framing::UntilClose => self.read_until_close(head.len..filled).await?,
        }
        Ok(Answer {
            status: head.status,
            close: head.close,
            body_matches: self.body.matched(),
        })
    }

    /// Reads into `buf[filled..]`, growing a full buffer up to the limit. Returns the bytes read.
    async fn read_more(&mut self, filled: usize) -> Result<usize, ErrorKind> {
        match self.read_or_close(filled).await? {
            // Closed before the answer was complete.
            0 => Err(ErrorKind::Io),
            n => Ok(n),
        }
    }

    /// As [`Self::read_more`], but the server's close is 0 bytes read, not an error.
    async fn read_or_close(&mut self, filled: usize) -> Result<usize, ErrorKind> {
        if filled == self.buf.len() {
            if self.buf.len() >= MAX_HEAD_BYTES {
                return Err(ErrorKind::BadResponse);
            }
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let stream = self.stream.as_mut().ok_or(ErrorKind::Io)?;
        stream
            .read(&mut self.buf[filled..])
            .await
            .map_err(|_| ErrorKind::Io)
    }

    /// Reads a body that ends when the server closes the connection, of which `buf[in_hand]`
    /// already arrived, through the check. A reset is not a close: the body may be cut short.
    async fn read_until_close(&mut self, in_hand: std::ops::Range<usize>) -> Result<(), ErrorKind> {
        self.body.feed(&self.buf[in_hand]);
        loop {
            match self.read_or_close(0).await? {
                0 => break,
                n => self.body.feed(&self.buf[..n]),
            }
        }
        // Nothing more can come on this socket.
        self.stream = None;
        Ok(())
    }

    /// Reads a Content-Length body, of which `buf[in_hand]` already arrived, through the check.
    async fn read_body(
        &mut self,
        in_hand: std::ops::Range<usize>,
        length: u64,
    ) -> Result<(), ErrorKind> {
        // More than the body: bytes nobody asked for (no pipelining), so framing is lost.
        let mut left = length
            .checked_sub(in_hand.len() as u64)
            .ok_or(ErrorKind::BadResponse)?;
        self.body.feed(&self.buf[in_hand]);
        while left > 0 {
            let n = self.read_more(0).await?;
            left = left.checked_sub(n as u64).ok_or(ErrorKind::BadResponse)?;
            self.body.feed(&self.buf[..n]);
        }
        Ok(())
    }

    /// Consumes a chunked body through the check, keeping only unconsumed bytes (a partial size
    /// line) in the buffer.
    async fn read_chunked(&mut self, head: &Head, mut filled: usize) -> Result<(), ErrorKind> {
        let mut decoder = Chunked::new();
        let mut pos = head.len;
        loop {
            let fed = decoder
                .feed(&self.buf[pos..filled], |data| self.body.feed(data))
                .map_err(|_| ErrorKind::BadResponse)?;
            pos += fed.consumed;
            if fed.done {
                return if pos == filled {
                    Ok(())
                } else {
                    Err(ErrorKind::BadResponse)
                };
            }
            self.buf.copy_within(pos..filled, 0);
            filled -= pos;
            pos = 0;
            filled += self.read_more(filled).await?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A one-connection server that answers each request with the next scripted bytes, byte by
    /// byte (so every partial state of the framing is exercised) or in one write.
    fn scripted(answers: Vec<&'static [u8]>, byte_by_byte: bool) -> SocketAddr {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            let mut buf = [0u8; 4096];
            for answer in answers {
                if socket.read(&mut buf).unwrap_or(0) == 0 {
                    return;
                }
                if byte_by_byte {
                    socket.set_nodelay(true).unwrap();
                    for byte in answer {
                        let _ = socket.write_all(std::slice::from_ref(byte));
                    }
                } else {
                    let _ = socket.write_all(answer);
                }
            }
        });
        addr
    }

    fn exchange_all(addr: SocketAddr, n: usize) -> Vec<Result<Answer, ErrorKind>> {
        exchange_expecting(addr, n, None)
    }

    fn exchange_expecting(
        addr: SocketAddr,
        n: usize,
        expected: Option<Arc<[u8]>>,
    ) -> Vec<Result<Answer, ErrorKind>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut conn = Connection::new(expected);
            conn.connect(addr).await.unwrap();
            let mut results = Vec::new();
            for _ in 0..n {
                let result = conn.exchange(b"GET / HTTP/1.1\r\n\r\n", false).await;
                let failed = result.is_err();
                results.push(result);
                if failed {
                    break;
                }
            }
            results
        })
    }

    #[test]
    fn keep_alive_answers_of_each_framing() {
        let addr = scripted(
            vec![
                b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                b"HTTP/1.1 204 No Content\r\n\r\n",
                b"HTTP/1.1 500 Oops\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            ],
            true,
        );
        let answers: Vec<Answer> = exchange_all(addr, 4)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
        assert_eq!(statuses, [200, 201, 204, 500]);
        assert!(answers[3].close && !answers[0].close);
    }

    #[test]
    fn a_body_until_the_close_is_an_answer_and_closes_the_slot() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        for byte_by_byte in [true, false] {
            // The scripted server closes its socket after its last answer.
            let addr = scripted(
                vec![b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello"],
                byte_by_byte,
            );
            runtime.block_on(async {
                let mut conn = Connection::new(Some(b"hello"[..].into()));
                conn.connect(addr).await.unwrap();
                let answer = conn.exchange(b"GET / HTTP/1.0\r\n\r\n", false).await;
                let expected = Answer {
                    status: 200,
                    close: true,
                    body_matches: true,
                };
                assert_eq!(answer, Ok(expected), "byte by byte: {byte_by_byte}");
                assert!(!conn.is_open(), "a closed socket must not be reused");
            });
        }
    }

    #[test]
    fn truncated_answers_are_errors() {
        let addr = scripted(
            vec![b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"],
            true,
        );
        assert_eq!(exchange_all(addr, 1), [Err(ErrorKind::Io)]);
        // Bytes beyond the body in the same read: nobody asked for them.
        let addr = scripted(
            vec![b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\ntoo long"],
            false,
        );
        assert_eq!(exchange_all(addr, 1), [Err(ErrorKind::BadResponse)]);
    }

    #[test]
    fn bodies_are_compared_with_the_expected_one_in_both_framings() {
        let answers: Vec<&'static [u8]> = vec![
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]",
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n{} ",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{]\r\n0\r\n\r\n",
            b"HTTP/1.1 204 No Content\r\n\r\n",
        ];
        for byte_by_byte in [true, false] {
            let addr = scripted(answers.clone(), byte_by_byte);
            let matches: Vec<bool> =
                exchange_expecting(addr, answers.len(), Some(b"{}"[..].into()))
                    .into_iter()
                    .map(|answer| answer.unwrap().body_matches)
                    .collect();
            assert_eq!(matches, [true, false, false, true, false, false]);
        }
    }
}
