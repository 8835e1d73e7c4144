//! What to load and how, checked once before any socket opens: the target, the request, the mode
//! and the phases. Everything a user can get wrong is a [`UserError`] with a hint here, so the
//! engine never meets bad input.

use std::io::Read;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::error::UserError;

/// Longest duration, warm-up or timeout accepted: a day (also keeps every `Instant` sum in range).
const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);
/// More connections than this would exhaust ephemeral ports and file descriptors first.
const MAX_CONNECTIONS: u64 = 50_000;
/// The largest `--body` or `--expect-body`: the request is held serialised and sent whole every
/// time, and a body this size already measures the network rather than the server.
pub const MAX_BODY_BYTES: u64 = 16 << 20;

/// How requests are started.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// Each connection sends its next request when the previous answer arrives.
    Closed,
    /// Request k is due at t0 + k / rate, whatever the answers do.
    Open { rate_per_s: f64 },
}

/// A checked `versus load` invocation.
#[derive(Clone, Debug)]
pub struct LoadSpec {
    pub target: Target,
    pub method: String,
    pub body: Vec<u8>,
    pub connections: usize,
    /// Generator threads, each with its own runtime; connections are split evenly between them.
    pub threads: usize,
    pub duration: Duration,
    /// Load before the measured phase starts; nothing in it is counted.
    pub warmup: Duration,
    /// Per request (and per connect); a request that takes longer is an error of kind `timeout`.
    pub timeout: Duration,
    pub mode: Mode,
    /// When set, a 2xx answer counts only if its body is exactly these bytes; otherwise it is an
    /// error of kind `wrong-body` (`--expect-body`).
    pub expected_body: Option<Arc<[u8]>>,
    /// Setting this flag (or Ctrl-C) ends the run early, within about 10 ms, warm-up included:
    /// the report then covers the measured time until the stop (`stopped_early`).
    pub stop: Option<Arc<AtomicBool>>,
    /// The server's process: its tree's CPU time is read at the start and the end of the
    /// measured phase (`versus load` finds a server on this machine by its listening port).
    pub server_pid: Option<i32>,
}

/// The server, as the URL names it and as resolved once.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The URL as given, for the report.
    pub url: String,
    /// The host as written (the `Host` header), without brackets for IPv6.
    pub host: String,
    pub port: u16,
    /// Path and query, at least `/`.
    pub path: String,
    pub addr: SocketAddr,
}

/// The parts of an `http://` URL, before name resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct Url {
    pub host: String,
    pub port: u16,
    pub path: String,
}

const URL_HINT: &str = "write e.g. versus load http://127.0.0.1:8080/json";

/// Splits `http://host[:port][/path][?query]`; anything else is a [`UserError`].
pub fn parse_url(url: &str) -> Result<Url, UserError> {
    if url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    {
        return Err(UserError::usage(
            format!("{url}: https is not supported; versus load speaks plain HTTP/1.1"),
            "point it at the server's plain http:// port (or a local TLS-terminating proxy): \
             TLS would add the handshake and the cipher to every figure, not the server's work",
        ));
    }
    let rest = match url.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("http://") => &url[7..],
        _ => {
            return Err(UserError::usage(
                format!("{url}: not an http:// URL"),
                URL_HINT,
            ));
        }
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) if rest.as_bytes()[i] == b'?' => (&rest[..i], format!("/{}", &rest[i..])),
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let bad = |what: &str| UserError::usage(format!("{url}: {what}"), URL_HINT);
    if authority.contains('@') {
        return Err(bad("user names and passwords in the URL are not supported"));
    }
    let (host, port) =
        split_host_port(authority).ok_or_else(|| bad("cannot read host and port"))?;
    if host.is_empty() {
        return Err(bad("no host"));
    }
    if path
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return Err(bad("spaces and control characters must be percent-encoded"));
    }
    Ok(Url {
        host: host.to_string(),
        port,
        path,
    })
}

/// `host`, `host:port`, `[v6]`, `[v6]:port`; the port defaults to 80.
fn split_host_port(authority: &str) -> Option<(&str, u16)> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(text) => text.parse().ok().filter(|&p| p != 0)?,
        None => 80,
    };
    Some((host, port))
}

impl Target {
    /// Parses `url` and resolves its host once (the first address is used for every connection).
    pub fn resolve(url: &str) -> Result<Target, UserError> {
        let parsed = parse_url(url)?;
        let addr = (parsed.host.as_str(), parsed.port)
            .to_socket_addrs()
            .ok()
            .and_then(|mut addrs| addrs.next())
            .ok_or_else(|| {
                UserError::usage(
                    format!("{url}: cannot resolve host `{}`", parsed.host),
                    "check the spelling, or use an IP address such as 127.0.0.1",
                )
            })?;
        Ok(Target {
            url: url.to_string(),
            host: parsed.host,
            port: parsed.port,
            path: parsed.path,
            addr,
        })
    }

    /// The `Host` header's value: the port only when it is not the default.
    pub fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == 80 {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

/// `10s`, `1.5s`, `500ms`, `2m`, `100us`, or a bare number of seconds.
pub fn parse_duration(flag: &str, text: &str) -> Result<Duration, UserError> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit.trim() {
        "" | "s" => Some(1.0),
        "ms" => Some(1e-3),
        "us" | "µs" => Some(1e-6),
        "m" | "min" => Some(60.0),
        "h" => Some(3600.0),
        _ => None,
    };
    let seconds = number
        .parse::<f64>()
        .ok()
        .zip(scale)
        .map(|(n, s)| n * s)
        .filter(|s| s.is_finite() && *s >= 0.0 && *s <= MAX_DURATION.as_secs_f64());
    seconds.map(Duration::from_secs_f64).ok_or_else(|| {
        UserError::usage(
            format!("{flag} {text}: not a duration up to 24h"),
            format!("write e.g. {flag} 10s, {flag} 500ms or {flag} 2m"),
        )
    })
}

/// A duration that must not be zero (`--duration`, `--timeout`).
pub fn positive_duration(flag: &str, text: &str) -> Result<Duration, UserError> {
    let duration = parse_duration(flag, text)?;
    if duration.is_zero() {
        return Err(UserError::usage(
            format!("{flag} {text}: must be longer than zero"),
            format!("write e.g. {flag} 10s"),
        ));
    }
    Ok(duration)
}

/// `--rate R`: requests per second, positive and finite.
pub fn check_rate(rate: f64) -> Result<Mode, UserError> {
    if rate.is_finite() && rate > 0.0 && rate <= 1e9 {
        Ok(Mode::Open { rate_per_s: rate })
    } else {
        Err(UserError::usage(
            format!("--rate {rate}: not a positive number of requests per second"),
            "write e.g. --rate 1000; leave --rate out for a closed loop (maximum throughput)",
        ))
    }
}

/// `--connections C`: at least one.
pub fn check_connections(connections: u64) -> Result<usize, UserError> {
    if (1..=MAX_CONNECTIONS).contains(&connections) {
        Ok(connections as usize)
    } else {
        Err(UserError::usage(
            format!("--connections {connections}: must be between 1 and {MAX_CONNECTIONS}"),
            "write e.g. --connections 16 (the default)",
        ))
    }
}

/// `--method M`: an HTTP token such as GET or POST (upper case, as servers compare it).
pub fn check_method(method: &str) -> Result<String, UserError> {
    let token = !method.is_empty()
        && method.len() <= 32
        && method.bytes().all(|b| b.is_ascii_uppercase() || b == b'-');
    if token {
        Ok(method.to_string())
    } else {
        Err(UserError::usage(
            format!("--method {method}: not an HTTP method"),
            "write e.g. --method GET or --method POST (upper case)",
        ))
    }
}

/// `--body FILE` or `--expect-body FILE` (the `flag`): the file's bytes, read once, at most
/// [`MAX_BODY_BYTES`]. Reading stops one byte past the bound, so `/dev/zero` or a huge file is
/// refused without being read.
pub fn read_body(flag: &str, path: &Path) -> Result<Vec<u8>, UserError> {
    let role = if flag == "--expect-body" {
        "every 2xx answer's body must be exactly its bytes"
    } else {
        "its bytes are sent as the body of every request"
    };
    let unreadable = |err: std::io::Error| {
        UserError::usage(
            format!("cannot read {flag} {}: {err}", path.display()),
            format!("give the path of an existing, readable file: {role}"),
        )
    };
    read_bounded(path).map_err(unreadable)?.ok_or_else(|| {
        let mib = MAX_BODY_BYTES >> 20;
        UserError::usage(
            format!("{flag} {}: larger than {mib} MiB", path.display()),
            format!("give a file of at most {mib} MiB: {role}"),
        )
    })
}

/// The bytes of `path` when they are at most [`MAX_BODY_BYTES`], `None` past it. Never reads
/// more than one byte past the bound.
pub fn read_bounded(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_BODY_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(Some(bytes).filter(|b| b.len() as u64 <= MAX_BODY_BYTES))
}

/// Generator threads, unless the user chose: against a server on this machine (a loopback
/// address), half the cores, so the server keeps the other half (on 2 cores: one thread, which
/// measured 1.16× wrk -t1's requests per CPU-second, against 0.93–0.98× with two threads fighting
/// the server for the cores); against another machine, one per core. Never more than the
/// connections.
pub fn threads(
    requested: Option<u64>,
    connections: usize,
    target: &SocketAddr,
) -> Result<usize, UserError> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    match requested {
        None if target.ip().is_loopback() => Ok((cores / 2).max(1).min(connections)),
        None => Ok(cores.min(connections)),
        Some(n) if n >= 1 && n as usize <= connections => Ok(n as usize),
        Some(n) => Err(UserError::usage(
            format!(
                "--threads {n}: must be between 1 and the number of connections ({connections})"
            ),
            "leave --threads out to use half the cores against this machine, one per core against another",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(host: &str, port: u16, path: &str) -> Url {
        Url {
            host: host.into(),
            port,
            path: path.into(),
        }
    }

    #[test]
    fn parses_http_urls() {
        assert_eq!(
            parse_url("http://127.0.0.1:8080/json").unwrap(),
            url("127.0.0.1", 8080, "/json")
        );
        assert_eq!(
            parse_url("HTTP://localhost").unwrap(),
            url("localhost", 80, "/")
        );
        assert_eq!(
            parse_url("http://h:81?x=1#frag").unwrap(),
            url("h", 81, "/?x=1")
        );
        assert_eq!(
            parse_url("http://[::1]:9000/a/b?c").unwrap(),
            url("::1", 9000, "/a/b?c")
        );
    }

    #[test]
    fn rejects_https_with_a_hint_naming_the_fix() {
        let err = parse_url("https://example.com/").unwrap_err();
        assert!(err.to_string().contains("https is not supported"));
        assert!(err.hint().to_string().contains("http://"));
    }

    #[test]
    fn rejects_other_malformed_urls() {
        for bad in [
            "ftp://h/",
            "127.0.0.1:8080",
            "http://",
            "http://h:0/",
            "http://h:99999/",
            "http://u:p@h/",
            "http://h/a b",
            "http://[::1/",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn host_header_omits_the_default_port() {
        let mut target = Target::resolve("http://127.0.0.1/x").unwrap();
        assert_eq!(target.host_header(), "127.0.0.1");
        target.port = 8080;
        assert_eq!(target.host_header(), "127.0.0.1:8080");
        target.host = "::1".into();
        assert_eq!(target.host_header(), "[::1]:8080");
    }

    #[test]
    fn durations_with_units() {
        let d = |t| parse_duration("--duration", t).unwrap();
        assert_eq!(d("10s"), Duration::from_secs(10));
        assert_eq!(d("10"), Duration::from_secs(10));
        assert_eq!(d("1.5s"), Duration::from_millis(1500));
        assert_eq!(d("500ms"), Duration::from_millis(500));
        assert_eq!(d("2m"), Duration::from_secs(120));
        assert_eq!(d("250us"), Duration::from_micros(250));
        assert_eq!(d("0"), Duration::ZERO);
        for bad in ["", "s", "ten", "-1s", "5 parsecs", "2d", "25h", "1e3"] {
            assert!(parse_duration("--duration", bad).is_err(), "{bad}");
        }
        assert!(positive_duration("--duration", "0s").is_err());
    }

    #[test]
    fn rate_connections_and_method_are_checked() {
        assert_eq!(check_rate(100.0).unwrap(), Mode::Open { rate_per_s: 100.0 });
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(check_rate(bad).is_err());
        }
        assert!(check_connections(0).is_err());
        assert_eq!(check_connections(16).unwrap(), 16);
        assert_eq!(check_method("POST").unwrap(), "POST");
        assert!(check_method("get").is_err());
        assert!(check_method("GET /x").is_err());
        let local: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let remote: SocketAddr = "192.0.2.1:80".parse().unwrap();
        assert!(threads(Some(0), 4, &local).is_err());
        assert!(threads(Some(5), 4, &local).is_err());
        assert_eq!(threads(Some(2), 4, &local).unwrap(), 2);
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        assert_eq!(threads(None, 64, &local).unwrap(), (cores / 2).max(1));
        assert_eq!(threads(None, 64, &remote).unwrap(), cores.min(64));
        assert_eq!(threads(None, 1, &remote).unwrap(), 1);
    }

    #[test]
    fn unreadable_body_files_name_their_flag() {
        let missing = Path::new("/no/such/dir/answer.json");
        for flag in ["--body", "--expect-body"] {
            let err = read_body(flag, missing).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with(&format!("cannot read {flag} /no/such/dir/answer.json")),
                "{err}"
            );
        }
        let hint = read_body("--expect-body", missing)
            .unwrap_err()
            .hint()
            .to_string();
        assert!(hint.contains("2xx answer's body"), "{hint}");
        // A directory is not a body either.
        assert!(read_body("--expect-body", Path::new("/")).is_err());
    }

    #[test]
    fn bodies_past_the_bound_are_refused_without_being_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("body.bin");
        // Sparse: no disk is spent on the zeros.
        let sized = |len| {
            std::fs::File::create(&file).unwrap().set_len(len).unwrap();
            read_body("--body", &file)
        };
        assert_eq!(sized(MAX_BODY_BYTES).unwrap().len() as u64, MAX_BODY_BYTES);
        let err = sized(MAX_BODY_BYTES + 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("--body {}: larger than 16 MiB", file.display())
        );
        // Endless: only the bound and one byte are read.
        for flag in ["--body", "--expect-body"] {
            let err = read_body(flag, Path::new("/dev/zero")).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("{flag} /dev/zero: larger than 16 MiB")
            );
            assert!(err.hint().to_string().contains("at most 16 MiB"));
        }
    }
}
