//! A snapshot of /proc: who is whose parent, in which process group, how large. Used where no
//! cgroup can hold a run: to find every process of a run (its group, the leader's descendants,
//! and orphans re-parented to versus), to sample their memory and to kill what is left.

use std::fs;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Process {
    pub pid: i32,
    pub ppid: i32,
    pub pgrp: i32,
    pub zombie: bool,
    pub rss_pages: u64,
    /// CPU time in clock ticks (`sysconf(_SC_CLK_TCK)`), its own and its reaped children's.
    pub user_ticks: u64,
    pub sys_ticks: u64,
    /// When it started, in clock ticks after boot: with the pid, it names one process, never
    /// a later one that got the same pid.
    pub start_ticks: u64,
}

pub fn snapshot() -> Vec<Process> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let name = name.to_str()?;
            if !name.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let stat = fs::read_to_string(format!("/proc/{name}/stat")).ok()?;
            parse_stat(name.parse().ok()?, &stat)
        })
        .collect()
}

/// The processes of the run led by `leader`: its process group, every descendant of the
/// leader, and every child of `adopter` (versus, when it is the subreaper of its runs' orphans;
/// runs are sequential, so those can only be this run's).
pub fn run_members(table: &[Process], leader: i32, adopter: Option<i32>) -> Vec<Process> {
    let adopted = |p: &Process| adopter.is_some_and(|a| p.ppid == a && p.pid != a);
    let mut members: Vec<Process> = table
        .iter()
        .filter(|p| p.pgrp == leader || p.pid == leader || adopted(p))
        .copied()
        .collect();
    loop {
        let before = members.len();
        for process in table {
            let parent_is_member = members.iter().any(|m| m.pid == process.ppid);
            if parent_is_member && !members.iter().any(|m| m.pid == process.pid) {
                members.push(*process);
            }
        }
        if members.len() == before {
            return members;
        }
    }
}

fn parse_stat(pid: i32, text: &str) -> Option<Process> {
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state(3) ppid(4) pgrp(5) … utime(14) stime(15) cutime(16) cstime(17) …
    // starttime(22) rss(24); fields[i] is field i + 3.
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    Some(Process {
        pid,
        zombie: *fields.first()? == "Z",
        ppid: fields.get(1)?.parse().ok()?,
        pgrp: fields.get(2)?.parse().ok()?,
        rss_pages: fields.get(21)?.parse().ok()?,
        user_ticks: ticks(11)? + ticks(13)?,
        sys_ticks: ticks(12)? + ticks(14)?,
        start_ticks: ticks(19)?,
    })
}

/// One process's entry, `None` when there is no such process (any more).
pub fn process(pid: i32) -> Option<Process> {
    parse_stat(pid, &fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// `Pss:` of `/proc/<pid>/smaps_rollup` (Linux 4.14+), in bytes.
pub fn pss_bytes(pid: i32) -> Option<u64> {
    let text = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    parse_pss(&text)
}

fn parse_pss(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("Pss:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// CPU time of a server's whole process tree (its group and the leader's descendants).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TreeCpu {
    pub user: Duration,
    pub sys: Duration,
}

impl TreeCpu {
    pub fn of(leader: i32) -> TreeCpu {
        let table = snapshot();
        let members = run_members(&table, leader, None);
        let ticks_per_s = clock_ticks_per_s();
        let to_time = |ticks: u64| Duration::from_secs_f64(ticks as f64 / ticks_per_s);
        TreeCpu {
            user: to_time(members.iter().map(|p| p.user_ticks).sum()),
            sys: to_time(members.iter().map(|p| p.sys_ticks).sum()),
        }
    }

    /// The time spent since `earlier`; a process that exited in between takes its time away,
    /// so a difference below zero counts as zero.
    pub fn since(self, earlier: TreeCpu) -> TreeCpu {
        TreeCpu {
            user: self.user.saturating_sub(earlier.user),
            sys: self.sys.saturating_sub(earlier.sys),
        }
    }

    pub fn total(self) -> Duration {
        self.user + self.sys
    }
}

fn clock_ticks_per_s() -> f64 {
    // SAFETY: sysconf only reads a configuration value.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
}

/// The process listening on TCP `port` of this machine (IPv4 or IPv6), found as wrk users do
/// by hand with `ss -ltnp`: the socket's inode in /proc/net/tcp, then the process holding it
/// among the fds of /proc (only processes this user may inspect). `None` when nobody visible
/// listens there.
pub fn listening_pid(port: u16) -> Option<i32> {
    let inodes: Vec<String> = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|path| fs::read_to_string(path).ok())
        .flat_map(|table| listening_inodes(&table, port))
        .collect();
    if inodes.is_empty() {
        return None;
    }
    let wanted: Vec<String> = inodes.iter().map(|i| format!("socket:[{i}]")).collect();
    let mut pids: Vec<i32> = fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
                fds.flatten().any(|fd| {
                    fs::read_link(fd.path())
                        .is_ok_and(|target| wanted.iter().any(|w| target.as_os_str() == w.as_str()))
                })
            })
        })
        .collect();
    // Forked workers share the listening socket with their parent: the lowest pid is the parent.
    pids.sort_unstable();
    pids.first().copied()
}

/// The inodes of the sockets of a /proc/net/tcp table that listen (state 0A) on `port`.
fn listening_inodes(table: &str, port: u16) -> Vec<String> {
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let local_port = fields.get(1)?.rsplit(':').next()?;
            let listening = *fields.get(3)? == "0A";
            let inode = fields.get(9)?;
            (listening && u16::from_str_radix(local_port, 16).ok()? == port && *inode != "0")
                .then(|| inode.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(pid: i32, ppid: i32, pgrp: i32) -> Process {
        Process {
            pid,
            ppid,
            pgrp,
            zombie: false,
            rss_pages: 1,
            user_ticks: 0,
            sys_ticks: 0,
            start_ticks: 0,
        }
    }

    #[test]
    fn parses_stat_even_with_odd_names() {
        let stat = "1234 (a) b (c)) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 \
                    500 10000000 777 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0";
        assert_eq!(
            parse_stat(1234, stat),
            Some(Process {
                pid: 1234,
                ppid: 1,
                pgrp: 1234,
                zombie: false,
                rss_pages: 777,
                user_ticks: 1,
                sys_ticks: 2,
                start_ticks: 500,
            })
        );
    }

    #[test]
    fn reads_pss_from_smaps_rollup() {
        let text = "55d0-7ffe ---p 00000000 00:00 0 [rollup]\nRss:  2048 kB\nPss:  1536 kB\n";
        assert_eq!(parse_pss(text), Some(1536 * 1024));
    }

    #[test]
    fn a_run_is_its_group_its_descendants_and_adopted_orphans() {
        let versus = 10;
        let table = [
            process(versus, 1, 10),
            process(20, versus, 20), // the leader
            process(21, 20, 20),     // in its group
            process(22, 20, 22),     // left the group (setsid), still a descendant
            process(23, 22, 22),     // grandchild in the new session
            process(24, versus, 24), // an orphan re-parented to versus
            process(30, 1, 30),      // unrelated
            process(31, 30, 20),     // unrelated parent, but in the run's group
        ];
        let members = |adopter| {
            let mut pids: Vec<i32> = run_members(&table, 20, adopter)
                .iter()
                .map(|p| p.pid)
                .collect();
            pids.sort();
            pids
        };
        assert_eq!(members(Some(versus)), [20, 21, 22, 23, 24, 31]);
        assert_eq!(members(None), [20, 21, 22, 23, 31]);
    }

    #[test]
    fn finds_the_listening_socket_of_a_port() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:4E8A 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0000000000000000 100 0 0 10 0
   1: 0100007F:4E8A 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 654321 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0";
        assert_eq!(listening_inodes(table, 0x4E8A), ["123456"]);
        assert_eq!(listening_inodes(table, 8080), ["777"]);
        assert!(listening_inodes(table, 9).is_empty());
    }

    #[test]
    fn finds_this_process_listening() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        assert_eq!(listening_pid(port), Some(std::process::id() as i32));
        drop(listener);
        assert_eq!(listening_pid(port), None);
    }

    #[test]
    fn tree_cpu_of_this_process_grows_and_a_difference_never_goes_below_zero() {
        let pid = std::process::id() as i32;
        let before = TreeCpu::of(pid);
        // Spin until the tick counters move (a generous bound only guards against a hang).
        let start = std::time::Instant::now();
        let mut x = 0u64;
        let mut after = before;
        while after.total() == before.total() && start.elapsed() < Duration::from_secs(30) {
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
            }
            after = TreeCpu::of(pid);
        }
        assert!(after.since(before).total() > Duration::ZERO);
        assert_eq!(before.since(after).total(), Duration::ZERO);
    }
}
