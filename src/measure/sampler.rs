//! Fallback when no cgroup can be made: sample the memory of every process in the run's process
//! group from /proc. Each process counts its proportional set size (PSS, from smaps_rollup), so
//! pages shared between a forked parent and its children are counted once, not once per
//! process as summed RSS would (measured here: four forked Python children touching 50 MiB each
//! summed to 252 MiB of RSS against a cgroup peak of 211 MiB). Still a lower bound: a peak
//! between two samples is missed, as are processes that left the group.

use std::fs;
use std::time::{Duration, Instant};

const MIN_INTERVAL: Duration = Duration::from_millis(2);
const MAX_INTERVAL: Duration = Duration::from_millis(50);

pub struct GroupSampler {
    pgid: i32,
    started: Instant,
    next: Instant,
    page_bytes: u64,
    peak_bytes: u64,
}

impl GroupSampler {
    pub fn new(pgid: i32, started: Instant) -> GroupSampler {
        // SAFETY: sysconf has no memory effects.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        GroupSampler {
            pgid,
            started,
            next: started,
            page_bytes: u64::try_from(page).unwrap_or(4096),
            peak_bytes: 0,
        }
    }

    /// When the next sample is due. Short runs are sampled often; long ones every 50 ms, so
    /// the sampler's own CPU use stays small on a 2-core machine.
    pub fn next_due(&self) -> Instant {
        self.next
    }

    pub fn sample_if_due(&mut self, now: Instant) {
        if now < self.next {
            return;
        }
        self.peak_bytes = self.peak_bytes.max(self.group_bytes());
        let interval = (now - self.started) / 20;
        self.next = now + interval.clamp(MIN_INTERVAL, MAX_INTERVAL);
    }

    pub fn peak_bytes(&self) -> u64 {
        self.peak_bytes
    }

    fn group_bytes(&self) -> u64 {
        let Ok(entries) = fs::read_dir("/proc") else {
            return 0;
        };
        let mut total = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name
                .to_str()
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
            else {
                continue;
            };
            if let Some((pgrp, rss_pages)) = read_stat(name) {
                if pgrp == self.pgid {
                    total += read_pss_bytes(name).unwrap_or(rss_pages * self.page_bytes);
                }
            }
        }
        total
    }
}

/// Process group and RSS (pages) from `/proc/<pid>/stat`.
fn read_stat(pid: &str) -> Option<(i32, u64)> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&text)
}

/// `Pss:` of `/proc/<pid>/smaps_rollup` (Linux 4.14+), in bytes.
fn read_pss_bytes(pid: &str) -> Option<u64> {
    let text = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    parse_pss(&text)
}

fn parse_pss(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("Pss:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn parse_stat(text: &str) -> Option<(i32, u64)> {
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state(3) ppid(4) pgrp(5) … rss(24), so pgrp is fields[2], rss fields[21].
    Some((fields.get(2)?.parse().ok()?, fields.get(21)?.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_group_and_rss_even_with_odd_names() {
        let stat = "1234 (a) b (c)) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 \
                    500 10000000 777 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0";
        assert_eq!(parse_stat(stat), Some((1234, 777)));
    }

    #[test]
    fn reads_pss_from_smaps_rollup() {
        let text = "55d0-7ffe ---p 00000000 00:00 0 [rollup]\nRss:  2048 kB\nPss:  1536 kB\n";
        assert_eq!(parse_pss(text), Some(1536 * 1024));
    }

    #[test]
    fn samples_this_process_group() {
        // SAFETY: getpgrp has no memory effects.
        let pgid = unsafe { libc::getpgrp() };
        let mut sampler = GroupSampler::new(pgid, Instant::now());
        sampler.sample_if_due(Instant::now());
        assert!(
            sampler.peak_bytes() > 0,
            "the test process itself is in the group"
        );
    }
}
