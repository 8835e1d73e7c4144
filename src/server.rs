//! versus's own HTTP/1.1 server, which the fan-out workloads call: `GET /item/{i}?delay_ms={d}`
//! answers `{"id":i,"value":(i*7919)%10007}` after sleeping d milliseconds (a slow backend, so
//! that the programs measure how many requests they keep in flight, not how fast they parse).
//!
//! It lives in versus's process, so it can never outlive a run, and its threads are outside the
//! measured program's process tree. One thread per connection: the fan-out opens at most a few
//! thousand, and a sleeping thread is what a slow backend looks like. The listen backlog is set
//! to 4096 (std's `TcpListener::bind` asks for 128): a burst of 1000 connects must not overflow
//! it, or the dropped SYNs are retried after a second and the programs measure the kernel's
//! retransmission timer.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::FromRawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

const BACKLOG: i32 = 4096;
/// A connection thread needs little: a line buffer and a small response.
const THREAD_STACK: usize = 64 * 1024;
/// Longest request or header line read (a longer one is cut and answered 404).
const MAX_LINE: u64 = 8192;
/// Longest sleep a request may ask for.
const MAX_DELAY: Duration = Duration::from_secs(10);

/// The value of item `i`, as the programs check it.
pub fn item_value(i: u64) -> u64 {
    i.wrapping_mul(7919) % 10007
}

/// A running server; dropping it stops accepting connections.
pub struct Server {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Listens on 127.0.0.1 at a port the kernel chooses.
    pub fn start() -> std::io::Result<Server> {
        raise_open_file_limit();
        let listener = listen_loopback()?;
        let addr = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stopping);
        let acceptor = std::thread::Builder::new()
            .name("versus-server".into())
            .spawn(move || accept_loop(listener, &flag))?;
        Ok(Server {
            addr,
            stopping,
            acceptor: Some(acceptor),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the acceptor blocked in accept(2); if that fails, leave it blocked rather than
        // hang here (it dies with the process).
        let woken = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok();
        if let (true, Some(acceptor)) = (woken, self.acceptor.take()) {
            let _ = acceptor.join();
        }
    }
}

/// Each connection of the fan-out takes a descriptor here: raise the soft limit to the hard one
/// (often 1024 against 1M), so a thousand requests never wait on versus's own limit. The
/// programs inherit it, which gives Python the footing Go gives itself (since Go 1.19 a Go
/// program raises its own soft limit).
fn raise_open_file_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit on this process with a valid struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

fn listen_loopback() -> std::io::Result<TcpListener> {
    let check = |result: libc::c_int| {
        if result < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(result)
        }
    };
    // SAFETY: plain socket calls on a descriptor this function owns until it is handed to
    // TcpListener (or closed on error).
    unsafe {
        let fd = check(libc::socket(
            libc::AF_INET,
            libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
            0,
        ))?;
        let listener = TcpListener::from_raw_fd(fd);
        let one: libc::c_int = 1;
        check(libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_REUSEADDR,
            (&raw const one).cast(),
            std::mem::size_of_val(&one) as libc::socklen_t,
        ))?;
        let addr = libc::sockaddr_in {
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: 0,
            sin_addr: libc::in_addr {
                s_addr: u32::from(std::net::Ipv4Addr::LOCALHOST).to_be(),
            },
            sin_zero: [0; 8],
        };
        check(libc::bind(
            fd,
            (&raw const addr).cast(),
            std::mem::size_of_val(&addr) as libc::socklen_t,
        ))?;
        check(libc::listen(fd, BACKLOG))?;
        Ok(listener)
    }
}

fn accept_loop(listener: TcpListener, stopping: &AtomicBool) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            // Out of descriptors (EMFILE) or another passing error: pause instead of spinning a
            // core the measured programs need.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let _ = stream.set_nodelay(true);
        // A connection the machine cannot give a thread to is dropped; the program sees the
        // error and its verdict says so.
        let _ = std::thread::Builder::new()
            .stack_size(THREAD_STACK)
            .spawn(move || serve(stream));
    }
}

/// Answers requests on one keep-alive connection until the client closes it.
fn serve(stream: TcpStream) {
    // Reads and writes share the one descriptor (a clone would take a second per connection).
    let mut writer = &stream;
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    loop {
        line.clear();
        match (&mut reader).take(MAX_LINE).read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let method_is_get = line.starts_with("GET ");
        let mut close = line.trim_end().ends_with("HTTP/1.0");
        let mut body_bytes = 0usize;
        loop {
            line.clear();
            match (&mut reader).take(MAX_LINE).read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("connection") {
                    close = value.eq_ignore_ascii_case("close");
                } else if name.eq_ignore_ascii_case("content-length") {
                    body_bytes = value.parse().unwrap_or(0);
                }
            }
        }
        if body_bytes > 0
            && std::io::copy(
                &mut (&mut reader).take(body_bytes as u64),
                &mut std::io::sink(),
            )
            .is_err()
        {
            return;
        }
        let (status, body) = match (method_is_get, parse_item(&target)) {
            (true, Some((id, delay))) => {
                std::thread::sleep(delay.min(MAX_DELAY));
                (
                    "200 OK",
                    format!("{{\"id\":{id},\"value\":{}}}", item_value(id)),
                )
            }
            _ => ("404 Not Found", "{\"error\":\"not found\"}".to_string()),
        };
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{}\r\n{body}",
            body.len(),
            if close { "Connection: close\r\n" } else { "" },
        );
        if writer.write_all(response.as_bytes()).is_err() || close {
            return;
        }
    }
}

/// `/item/{i}` with an optional `?delay_ms={d}`.
fn parse_item(target: &str) -> Option<(u64, Duration)> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let id = path.strip_prefix("/item/")?.parse().ok()?;
    let mut delay = Duration::ZERO;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("delay_ms", ms)) => delay = Duration::from_millis(ms.parse().ok()?),
            _ => return None,
        }
    }
    Some((id, delay))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(stream: &mut TcpStream, target: &str) -> String {
        write!(stream, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        format!(
            "{}|{}",
            head.lines().next().unwrap(),
            String::from_utf8(body).unwrap()
        )
    }

    #[test]
    fn answers_items_on_a_kept_alive_connection_and_404_otherwise() {
        let server = Server::start().unwrap();
        let url = server.url();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        let mut stream = TcpStream::connect(server.addr).unwrap();
        assert_eq!(
            get(&mut stream, "/item/3?delay_ms=1"),
            format!(
                "HTTP/1.1 200 OK|{{\"id\":3,\"value\":{}}}",
                3 * 7919 % 10007
            )
        );
        // The same connection serves the next request.
        assert_eq!(
            get(&mut stream, "/item/12345"),
            format!(
                "HTTP/1.1 200 OK|{{\"id\":12345,\"value\":{}}}",
                item_value(12345)
            )
        );
        assert!(get(&mut stream, "/items/3").starts_with("HTTP/1.1 404"));
        assert!(get(&mut stream, "/item/x").starts_with("HTTP/1.1 404"));
        assert!(get(&mut stream, "/item/3?sleep=5").starts_with("HTTP/1.1 404"));
        drop(server);
        // Stopped: no new connection is accepted and served.
        let refused = TcpStream::connect((
            "127.0.0.1",
            url.rsplit(':').next().unwrap().parse::<u16>().unwrap(),
        ));
        assert!(
            refused.is_err(),
            "the port still accepts connections after the server stopped"
        );
    }

    #[test]
    fn many_connections_at_once_are_all_answered() {
        let server = Server::start().unwrap();
        let addr = server.addr;
        let clients: Vec<_> = (0..300)
            .map(|i| {
                std::thread::spawn(move || {
                    let mut stream = TcpStream::connect(addr).unwrap();
                    get(&mut stream, &format!("/item/{i}?delay_ms=20"))
                })
            })
            .collect();
        for (i, client) in clients.into_iter().enumerate() {
            let answer = client.join().unwrap();
            assert!(
                answer.ends_with(&format!("\"value\":{}}}", item_value(i as u64))),
                "{answer}"
            );
        }
    }
}
