//! What versus and the spawner say to each other, and how file descriptors travel.
//!
//! The control socket (SOCK_SEQPACKET, so messages from concurrent threads never interleave)
//! carries one message per run: a byte and, as SCM_RIGHTS, the spawner's end of a new stream
//! socket, the run's channel. On the channel versus sends the [`Spec`] with the run's stdin,
//! stdout and stderr attached; the keeper answers [`Spawned`] with the child's exit fd
//! attached; versus asks [`REAP`] once the child has exited; the keeper answers [`Reaped`] (with
//! the moment it saw the exit) and exits. Numbers are little-endian; a closed channel means "kill everything of this run".

use std::io;
use std::mem;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

/// The byte of a run request on the control socket.
pub const RUN: u8 = b'R';
/// The byte versus sends on a channel once the child has exited: wait for it, report, exit.
pub const REAP: u8 = b'W';

/// A program to start, as the keeper needs it: every string already in its final form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    /// A path (resolved by versus through `PATH`), executed as is.
    pub program: Vec<u8>,
    pub args: Vec<Vec<u8>>,
    /// The whole environment, `KEY=value` each.
    pub env: Vec<Vec<u8>>,
    /// Empty: the spawner's own working directory.
    pub cwd: Vec<u8>,
    /// The `cgroup.procs` file the keeper joins before the clock starts; empty: none.
    pub cgroup_procs: Vec<u8>,
}

impl Spec {
    /// A length-prefixed frame: u32 length, then the fields.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![0; 4];
        for field in [&self.program, &self.cwd, &self.cgroup_procs] {
            put(&mut out, field);
        }
        for list in [&self.args, &self.env] {
            out.extend_from_slice(&(list.len() as u32).to_le_bytes());
            for item in list {
                put(&mut out, item);
            }
        }
        let len = (out.len() - 4) as u32;
        out[..4].copy_from_slice(&len.to_le_bytes());
        out
    }

    /// The fields of a frame (without its length prefix); `None` if it is malformed.
    pub fn decode(frame: &[u8]) -> Option<Spec> {
        let mut reader = Reader(frame);
        let program = reader.bytes()?.to_vec();
        let cwd = reader.bytes()?.to_vec();
        let cgroup_procs = reader.bytes()?.to_vec();
        let args = reader.list()?;
        let env = reader.list()?;
        reader.0.is_empty().then_some(Spec {
            program,
            args,
            env,
            cwd,
            cgroup_procs,
        })
    }
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_le_bytes(*head))
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.u32()? as usize;
        if len > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(head)
    }

    fn list(&mut self) -> Option<Vec<Vec<u8>>> {
        let count = self.u32()? as usize;
        // Each item takes at least its 4-byte length: a count beyond that is malformed.
        if count > self.0.len() / 4 {
            return None;
        }
        (0..count)
            .map(|_| self.bytes().map(<[u8]>::to_vec))
            .collect()
    }
}

/// Where starting the program failed, so versus can say which step it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Started = 0,
    /// chdir to the run's working directory.
    Cwd = 1,
    /// Joining the run's cgroup.
    Cgroup = 2,
    /// posix_spawn: the program itself (not found, not executable).
    Exec = 3,
    /// Anything else of the keeper's own (pidfd, a malformed spec).
    Keeper = 4,
}

impl Stage {
    fn from_u32(value: u32) -> Stage {
        match value {
            0 => Stage::Started,
            1 => Stage::Cwd,
            2 => Stage::Cgroup,
            3 => Stage::Exec,
            _ => Stage::Keeper,
        }
    }
}

/// The keeper's first answer. When `stage` is [`Stage::Started`], the child's exit fd travels
/// with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spawned {
    pub stage: Stage,
    /// The errno of the failed step, 0 when started.
    pub errno: i32,
    pub pid: i32,
    pub keeper: i32,
    /// CLOCK_MONOTONIC just before the child was spawned.
    pub started_ns: u64,
}

impl Spawned {
    pub const LEN: usize = 24;

    pub fn encode(&self) -> [u8; Self::LEN] {
        let mut out = [0; Self::LEN];
        out[0..4].copy_from_slice(&(self.stage as u32).to_le_bytes());
        out[4..8].copy_from_slice(&self.errno.to_le_bytes());
        out[8..12].copy_from_slice(&self.pid.to_le_bytes());
        out[12..16].copy_from_slice(&self.keeper.to_le_bytes());
        out[16..24].copy_from_slice(&self.started_ns.to_le_bytes());
        out
    }

    pub fn decode(bytes: &[u8; Self::LEN]) -> Spawned {
        let word = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        Spawned {
            stage: Stage::from_u32(word(0)),
            errno: word(4) as i32,
            pid: word(8) as i32,
            keeper: word(12) as i32,
            started_ns: u64::from_le_bytes(bytes[16..24].try_into().expect("8 bytes")),
        }
    }
}

/// The keeper's last answer: when the child exited, and wait4's status and rusage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reaped {
    pub status: i32,
    /// CLOCK_MONOTONIC when the keeper saw the exit.
    pub exited_ns: u64,
    pub user_us: u64,
    pub sys_us: u64,
    pub max_rss_kib: u64,
}

impl Reaped {
    pub const LEN: usize = 40;

    pub fn encode(&self) -> [u8; Self::LEN] {
        let words = [
            i64::from(self.status) as u64,
            self.exited_ns,
            self.user_us,
            self.sys_us,
            self.max_rss_kib,
        ];
        let mut out = [0; Self::LEN];
        for (chunk, word) in out.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        out
    }

    pub fn decode(bytes: &[u8; Self::LEN]) -> Reaped {
        let word = |i: usize| u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().expect("8"));
        Reaped {
            status: word(0) as i32,
            exited_ns: word(1),
            user_us: word(2),
            sys_us: word(3),
            max_rss_kib: word(4),
        }
    }
}

/// The most descriptors one message carries (a spec's stdin, stdout and stderr).
const MAX_FDS: usize = 3;

/// Sends all of `bytes`, with `fds` attached to the first part. Never raises SIGPIPE.
pub fn send(socket: RawFd, bytes: &[u8], fds: &[RawFd]) -> io::Result<()> {
    assert!(fds.len() <= MAX_FDS);
    let mut sent = send_once(socket, bytes, fds)?;
    while sent < bytes.len() {
        sent += send_once(socket, &bytes[sent..], &[])?;
    }
    Ok(())
}

fn send_once(socket: RawFd, bytes: &[u8], fds: &[RawFd]) -> io::Result<usize> {
    let mut space = [0u64; 8];
    let mut iov = libc::iovec {
        iov_base: bytes.as_ptr() as *mut libc::c_void,
        iov_len: bytes.len(),
    };
    // SAFETY: msghdr is plain data; every pointer set below outlives the sendmsg call, and the
    // control buffer (64 bytes, aligned to 8) holds CMSG_SPACE of up to MAX_FDS ints.
    unsafe {
        let mut msg: libc::msghdr = mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        if !fds.is_empty() {
            let fd_bytes = mem::size_of_val(fds) as u32;
            msg.msg_control = space.as_mut_ptr().cast();
            msg.msg_controllen = libc::CMSG_SPACE(fd_bytes) as usize;
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(fd_bytes) as usize;
            std::ptr::copy_nonoverlapping(fds.as_ptr(), libc::CMSG_DATA(cmsg).cast(), fds.len());
        }
        loop {
            let n = libc::sendmsg(socket, &msg, libc::MSG_NOSIGNAL);
            if n >= 0 {
                return Ok(n as usize);
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err);
            }
        }
    }
}

/// Receives into `buf` (one message, or what a stream has), with the descriptors attached to
/// it, close-on-exec. `Ok((0, _))` is the end of the stream.
pub fn recv(socket: RawFd, buf: &mut [u8]) -> io::Result<(usize, Vec<OwnedFd>)> {
    let mut space = [0u64; 8];
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: as in send_once; the kernel writes at most msg_controllen bytes of control data,
    // and every descriptor it passes is new and ours to own.
    unsafe {
        let mut msg: libc::msghdr = mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = space.as_mut_ptr().cast();
        msg.msg_controllen = mem::size_of_val(&space);
        let n = loop {
            let n = libc::recvmsg(socket, &mut msg, libc::MSG_CMSG_CLOEXEC);
            if n >= 0 {
                break n as usize;
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err);
            }
        };
        let mut fds = Vec::new();
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(cmsg).cast::<RawFd>();
                let count = ((*cmsg).cmsg_len - libc::CMSG_LEN(0) as usize) / 4;
                for i in 0..count {
                    fds.push(OwnedFd::from_raw_fd(data.add(i).read_unaligned()));
                }
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
        Ok((n, fds))
    }
}

/// Fills `buf` from a stream socket, keeping the descriptors that come with its first part.
/// An end of stream before `buf` is full is `UnexpectedEof`.
pub fn recv_exact(socket: RawFd, buf: &mut [u8]) -> io::Result<Vec<OwnedFd>> {
    let mut filled = 0;
    let mut fds = Vec::new();
    while filled < buf.len() {
        let (n, more) = recv(socket, &mut buf[filled..])?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        filled += n;
        fds.extend(more);
    }
    Ok(fds)
}

/// A connected pair of close-on-exec Unix sockets of `kind`.
pub fn socket_pair(kind: libc::c_int) -> io::Result<(OwnedFd, OwnedFd)> {
    let mut ends = [0 as RawFd; 2];
    // SAFETY: socketpair fills the two-element array.
    if unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            kind | libc::SOCK_CLOEXEC,
            0,
            ends.as_mut_ptr(),
        )
    } < 0
    {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are owned here.
    Ok(unsafe { (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1])) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    fn raw(fd: &OwnedFd) -> RawFd {
        fd.as_raw_fd()
    }

    #[test]
    fn a_spec_survives_encoding() {
        let spec = Spec {
            program: b"/bin/echo".to_vec(),
            args: vec![b"echo".to_vec(), Vec::new(), b"\xff bytes".to_vec()],
            env: vec![b"A=1".to_vec()],
            cwd: b"/tmp".to_vec(),
            cgroup_procs: Vec::new(),
        };
        let frame = spec.encode();
        let len = u32::from_le_bytes(frame[..4].try_into().unwrap()) as usize;
        assert_eq!(len, frame.len() - 4);
        assert_eq!(Spec::decode(&frame[4..]), Some(spec));
    }

    #[test]
    fn a_truncated_or_padded_spec_is_refused() {
        let frame = Spec::default().encode();
        assert!(Spec::decode(&frame[4..frame.len() - 1]).is_none());
        let mut padded = frame[4..].to_vec();
        padded.push(0);
        assert!(Spec::decode(&padded).is_none());
        // A count of items larger than the bytes left could ever hold.
        let mut huge = frame[4..frame.len() - 8].to_vec();
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(Spec::decode(&huge).is_none());
    }

    #[test]
    fn replies_survive_encoding() {
        let spawned = Spawned {
            stage: Stage::Exec,
            errno: libc::ENOENT,
            pid: 42,
            keeper: 41,
            started_ns: u64::MAX - 1,
        };
        assert_eq!(Spawned::decode(&spawned.encode()), spawned);
        let reaped = Reaped {
            status: -1,
            exited_ns: u64::MAX,
            user_us: 1,
            sys_us: 2,
            max_rss_kib: 3,
        };
        assert_eq!(Reaped::decode(&reaped.encode()), reaped);
    }

    #[test]
    fn descriptors_travel_with_the_bytes() {
        let (a, b) = socket_pair(libc::SOCK_STREAM).unwrap();
        let (passed, _keep) = socket_pair(libc::SOCK_STREAM).unwrap();
        send(raw(&a), b"hello", &[raw(&passed)]).unwrap();
        let mut buf = [0u8; 5];
        let fds = recv_exact(raw(&b), &mut buf).unwrap();
        assert_eq!(&buf, b"hello");
        assert_eq!(fds.len(), 1);
        assert_ne!(
            raw(&fds[0]),
            raw(&passed),
            "a new descriptor for the same socket"
        );
        drop(a);
        let (n, _) = recv(raw(&b), &mut buf).unwrap();
        assert_eq!(n, 0, "end of stream once the other end is closed");
    }
}
