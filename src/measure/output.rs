//! Streaming capture of a run's stdout (hash, length, first bytes) and stderr (last bytes).

use sha2::{Digest as _, Sha256};

use crate::digest::Digest;

/// How many bytes of stdout are kept for messages when the whole output is not needed.
pub const HEAD_BYTES: usize = 4096;

/// What is kept of a run's stdout.
#[derive(Clone, Debug, PartialEq)]
pub struct CapturedOutput {
    pub sha256: Digest,
    pub len: u64,
    /// The first bytes (up to the run's capture limit).
    pub head: Vec<u8>,
    /// Whether the output was longer than `head`.
    pub truncated: bool,
}

impl CapturedOutput {
    pub fn of(bytes: &[u8]) -> CapturedOutput {
        let mut sink = StdoutSink::new(usize::MAX);
        sink.push(bytes);
        sink.finish()
    }
}

pub struct StdoutSink {
    hasher: Sha256,
    len: u64,
    head: Vec<u8>,
    limit: usize,
}

impl StdoutSink {
    pub fn new(limit: usize) -> StdoutSink {
        StdoutSink {
            hasher: Sha256::new(),
            len: 0,
            head: Vec::new(),
            limit,
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
        self.len += bytes.len() as u64;
        let room = self.limit.saturating_sub(self.head.len());
        self.head.extend_from_slice(&bytes[..room.min(bytes.len())]);
    }

    pub fn finish(self) -> CapturedOutput {
        CapturedOutput {
            sha256: Digest(self.hasher.finalize().into()),
            truncated: self.len > self.head.len() as u64,
            len: self.len,
            head: self.head,
        }
    }
}

/// Keeps the last `limit` bytes of stderr.
pub struct TailSink {
    buf: Vec<u8>,
    limit: usize,
}

impl TailSink {
    pub fn new(limit: usize) -> TailSink {
        TailSink {
            buf: Vec::new(),
            limit,
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() > 2 * self.limit {
            let excess = self.buf.len() - self.limit;
            self.buf.drain(..excess);
        }
    }

    pub fn finish(mut self) -> Vec<u8> {
        if self.buf.len() > self.limit {
            let excess = self.buf.len() - self.limit;
            self.buf.drain(..excess);
        }
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdout_sink_hashes_everything_and_keeps_the_head() {
        let mut sink = StdoutSink::new(4);
        sink.push(b"hel");
        sink.push(b"lo, world\n");
        let out = sink.finish();
        assert_eq!(out.sha256, Digest::of(b"hello, world\n"));
        assert_eq!(out.len, 13);
        assert_eq!(out.head, b"hell");
        assert!(out.truncated);
    }

    #[test]
    fn tail_sink_keeps_the_last_bytes() {
        let mut sink = TailSink::new(5);
        for chunk in [b"abcdef".as_slice(), b"ghij", b"klmnop"] {
            sink.push(chunk);
        }
        assert_eq!(sink.finish(), b"lmnop");
    }
}
