//! Fallback when no cgroup can be made: sample the memory of every process of the run (see
//! [`crate::proctable::run_members`]) from /proc. Each process counts its proportional set
//! size (PSS, from smaps_rollup), so pages shared between a forked parent and its children are
//! counted once, not once per process as summed RSS would (measured here: four forked Python
//! children touching 50 MiB each summed to 252 MiB of RSS against a cgroup peak of 211 MiB).
//! Reading smaps_rollup walks the process's page tables, so it is read only when the cheap
//! summed RSS says a new peak is possible. Still a lower bound: a peak between two samples is
//! missed, and a run that ends before the first sample has no figure at all (wait4's
//! `ru_maxrss` is not used in its place: it is one process's RSS, not the tree's PSS).

use std::time::{Duration, Instant};

use crate::proctable;

const MIN_INTERVAL: Duration = Duration::from_millis(2);
const MAX_INTERVAL: Duration = Duration::from_millis(50);

pub struct TreeSampler {
    leader: i32,
    /// The run's keeper, whose children (orphans of the run it adopted) are the run's too.
    adopter: i32,
    started: Instant,
    next: Instant,
    page_bytes: u64,
    sampled: bool,
    peak_bytes: u64,
    peak_rss_bytes: u64,
    /// `--memory-limit` where no cgroup enforces it: a sample past it stops the run.
    limit_bytes: Option<u64>,
    over_limit: bool,
}

impl TreeSampler {
    pub fn new(
        leader: i32,
        adopter: i32,
        started: Instant,
        limit_bytes: Option<u64>,
    ) -> TreeSampler {
        // SAFETY: sysconf has no memory effects.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        TreeSampler {
            leader,
            adopter,
            started,
            // Not at once: a scan of /proc takes a few hundred microseconds, which would sit in
            // every short run's measured time. Runs shorter than this are covered by wait4.
            next: started + MIN_INTERVAL,
            page_bytes: u64::try_from(page).unwrap_or(4096),
            sampled: false,
            peak_bytes: 0,
            peak_rss_bytes: 0,
            limit_bytes,
            over_limit: false,
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
        let members =
            proctable::run_members(&proctable::snapshot(), self.leader, Some(self.adopter));
        let live: Vec<_> = members.iter().filter(|p| !p.zombie).collect();
        // A sample that finds the run already gone (only zombies) measured nothing.
        self.sampled |= !live.is_empty();
        let rss: u64 = live.iter().map(|p| p.rss_pages * self.page_bytes).sum();
        // Summed RSS is never below PSS: PSS is read only where it could matter.
        let past_limit = self.limit_bytes.is_some_and(|limit| rss > limit);
        if rss > self.peak_rss_bytes || past_limit {
            self.peak_rss_bytes = self.peak_rss_bytes.max(rss);
            let pss: u64 = live
                .iter()
                .map(|p| proctable::pss_bytes(p.pid).unwrap_or(p.rss_pages * self.page_bytes))
                .sum();
            self.peak_bytes = self.peak_bytes.max(pss);
            self.over_limit |= self.limit_bytes.is_some_and(|limit| pss > limit);
        }
        let interval = (now - self.started) / 20;
        self.next = now + interval.clamp(MIN_INTERVAL, MAX_INTERVAL);
    }

    /// Whether a sample found the run's memory past the limit (the run is then to be killed).
    pub fn over_limit(&self) -> bool {
        self.over_limit
    }

    /// The largest sample; `None` before the first that found a live process of the run.
    pub fn peak_bytes(&self) -> Option<u64> {
        self.sampled.then_some(self.peak_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_this_process_group() {
        // SAFETY: getpgrp has no memory effects.
        let pgid = unsafe { libc::getpgrp() };
        let start = Instant::now();
        let mut sampler = TreeSampler::new(pgid, std::process::id() as i32, start, None);
        sampler.sample_if_due(start);
        assert_eq!(
            sampler.peak_bytes(),
            None,
            "nothing is sampled at the very start"
        );
        sampler.sample_if_due(start + MIN_INTERVAL);
        assert!(
            sampler.peak_bytes().is_some_and(|peak| peak > 0),
            "the test process itself is in the group"
        );
        assert!(!sampler.over_limit(), "no limit, never over it");
    }

    #[test]
    fn a_sample_past_the_limit_says_so() {
        // SAFETY: getpgrp has no memory effects.
        let pgid = unsafe { libc::getpgrp() };
        let start = Instant::now();
        let me = std::process::id() as i32;
        let mut under = TreeSampler::new(pgid, me, start, Some(u64::MAX));
        let mut over = TreeSampler::new(pgid, me, start, Some(1));
        under.sample_if_due(start + MIN_INTERVAL);
        over.sample_if_due(start + MIN_INTERVAL);
        assert!(!under.over_limit());
        assert!(over.over_limit(), "this test process uses more than a byte");
    }
}
