//! The open-loop schedule and the precise wait for it.
//!
//! Request k (over the whole run) is due at t0 + k/R. Indexes are dealt round-robin to the
//! connections (k mod C), and each thread owns the indexes of its connections; within a thread,
//! whichever connection is free takes the thread's next index, so a request waits for *a* free
//! connection of its thread rather than for one particular connection (wrk2 binds each request to
//! one connection). A request whose time has passed is sent at once: late requests are queued,
//! never dropped, and their latency still counts from their intended time.
//!
//! tokio's timer has 1 ms granularity and rounds every sleep up (tokio#5021, #6866): sleeping
//! with it until the due time would add up to ~1 ms to every latency counted from that time. So
//! each connection waits on its own Linux timerfd, armed to the nanosecond and polled by the same
//! reactor as the sockets: the kernel's high-resolution timer wakes the thread when the request is
//! due, without burning a core in a spin loop (which, on a small machine, takes the CPU from the
//! server being measured). If no timerfd can be made, the wait falls back to a tokio sleep until
//! just before the due time, then yields to the runtime until it has come. The send-lag histogram
//! shows what error is left either way.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

/// Without a timerfd: how long before its due time a waiting request stops sleeping and starts
/// yielding (tokio's sleep fires up to 1 ms after its deadline, plus the wake-up of the thread).
pub const SPIN_WINDOW: Duration = Duration::from_micros(1500);

/// One thread's share of the run-wide schedule.
#[derive(Clone, Copy, Debug)]
pub struct Schedule {
    t0: Instant,
    /// Nanoseconds between two consecutive indexes of the whole run (1/R).
    interval_ns: f64,
    /// Connections of the whole run.
    connections: u64,
    /// The first connection of this thread, and how many it has (a contiguous range).
    first: u64,
    owned: u64,
}

impl Schedule {
    pub fn new(
        t0: Instant,
        rate_per_s: f64,
        connections: usize,
        first: usize,
        owned: usize,
    ) -> Self {
        assert!(rate_per_s > 0.0 && owned > 0 && first + owned <= connections);
        Schedule {
            t0,
            interval_ns: 1e9 / rate_per_s,
            connections: connections as u64,
            first: first as u64,
            owned: owned as u64,
        }
    }

    /// The run-wide index of this thread's n-th request (n from 0).
    pub fn index(&self, n: u64) -> u64 {
        (n / self.owned) * self.connections + self.first + n % self.owned
    }

    /// When this thread's n-th request is due.
    pub fn due(&self, n: u64) -> Instant {
        self.t0 + Duration::from_nanos((self.index(n) as f64 * self.interval_ns) as u64)
    }

    /// How many of this thread's requests are due by `now` (due time ≤ now).
    pub fn due_count(&self, now: Instant) -> u64 {
        let Some(elapsed) = now.checked_duration_since(self.t0) else {
            return 0;
        };
        // Run-wide indexes 0..=floor(elapsed / interval) are due.
        let all = (elapsed.as_nanos() as f64 / self.interval_ns).floor() as u64 + 1;
        let cycles = all / self.connections;
        let partial = (all % self.connections)
            .saturating_sub(self.first)
            .min(self.owned);
        cycles * self.owned + partial
    }
}

/// One connection's way of waiting for its next due time.
pub struct Pacer {
    timer: Option<tokio::io::unix::AsyncFd<TimerFd>>,
}

/// A non-blocking CLOCK_MONOTONIC timerfd (the clock `Instant` reads on Linux).
pub struct TimerFd(OwnedFd);

impl AsRawFd for TimerFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

impl TimerFd {
    fn new() -> io::Result<TimerFd> {
        // SAFETY: timerfd_create takes flags only; a valid result is a descriptor we now own.
        let fd = unsafe {
            libc::timerfd_create(
                libc::CLOCK_MONOTONIC,
                libc::TFD_NONBLOCK | libc::TFD_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: fd is a fresh descriptor owned by nothing else.
        Ok(TimerFd(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// Arms a one-shot expiry `after` from now (never zero, which would disarm).
    fn arm(&self, after: Duration) -> io::Result<()> {
        let after = after.max(Duration::from_nanos(1));
        let spec = libc::itimerspec {
            it_interval: libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            it_value: libc::timespec {
                tv_sec: after.as_secs() as libc::time_t,
                tv_nsec: libc::c_long::from(after.subsec_nanos() as i32),
            },
        };
        // SAFETY: the descriptor is ours and `spec` outlives the call.
        let rc =
            unsafe { libc::timerfd_settime(self.0.as_raw_fd(), 0, &spec, std::ptr::null_mut()) };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Consumes an expiry; `WouldBlock` while the timer has not fired.
    fn consume(&self) -> io::Result<()> {
        let mut expirations = 0u64;
        // SAFETY: reads 8 bytes into a u64 we own, as timerfd(2) specifies.
        let n = unsafe {
            libc::read(
                self.0.as_raw_fd(),
                (&mut expirations as *mut u64).cast(),
                std::mem::size_of::<u64>(),
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

impl Pacer {
    /// Needs a tokio runtime with I/O enabled (the timerfd is registered with its reactor).
    pub fn new() -> Pacer {
        let timer = TimerFd::new().ok().and_then(|fd| {
            // SAFETY: TimerFd owns its descriptor for its whole life and always returns it from
            // as_raw_fd, which is what registration requires.
            unsafe {
                tokio::io::unix::AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE)
            }
            .ok()
        });
        Pacer { timer }
    }

    /// Waits until `due` (returns at once when it has passed).
    pub async fn wait_until(&mut self, due: Instant) {
        let now = Instant::now();
        if due <= now {
            return;
        }
        let Some(timer) = &self.timer else {
            return sleep_then_yield(due).await;
        };
        if timer.get_ref().arm(due - now).is_err() {
            return sleep_then_yield(due).await;
        }
        loop {
            let Ok(mut ready) = timer.readable().await else {
                return sleep_then_yield(due).await;
            };
            // try_io clears a stale readiness (an earlier expiry already read) on WouldBlock.
            match ready.try_io(|fd| fd.get_ref().consume()) {
                Ok(Ok(())) => break,
                Ok(Err(_)) => return sleep_then_yield(due).await,
                Err(_would_block) => continue,
            }
        }
        // The kernel never fires early, but a wait cut short by anything else must not be.
        sleep_then_yield(due).await;
    }
}

/// The fallback: a tokio sleep to just before `due`, then yielding until it has come.
async fn sleep_then_yield(due: Instant) {
    let now = Instant::now();
    if due <= now {
        return;
    }
    if due - now > SPIN_WINDOW {
        tokio::time::sleep_until((due - SPIN_WINDOW).into()).await;
    }
    while Instant::now() < due {
        tokio::task::yield_now().await;
    }
}

/// Requests due but not yet taken by a connection, summed over threads (one sample).
pub fn backlog(schedules: &[Schedule], taken: &[u64], now: Instant) -> u64 {
    schedules
        .iter()
        .zip(taken)
        .map(|(s, &t)| s.due_count(now).saturating_sub(t))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn threads_share_the_run_wide_schedule() {
        let t0 = Instant::now();
        // 5 connections over two threads: connections 0..3 and 3..5.
        let a = Schedule::new(t0, 1000.0, 5, 0, 3);
        let b = Schedule::new(t0, 1000.0, 5, 3, 2);
        let ia: Vec<u64> = (0..6).map(|n| a.index(n)).collect();
        let ib: Vec<u64> = (0..4).map(|n| b.index(n)).collect();
        assert_eq!(ia, [0, 1, 2, 5, 6, 7]);
        assert_eq!(ib, [3, 4, 8, 9]);
        assert_eq!(a.due(3) - t0, Duration::from_millis(5));
        assert_eq!(b.due(3) - t0, Duration::from_millis(9));
    }

    proptest! {
        /// due_count(now) is exactly the number of n whose due(n) ≤ now, and the threads' counts
        /// add up to the run-wide count.
        #[test]
        fn due_count_matches_due(
            connections in 1usize..12,
            split in 0usize..12,
            rate in 10.0f64..5000.0,
            at_us in 0u64..50_000,
        ) {
            let split = split.min(connections - 1) + 1;
            let t0 = Instant::now();
            let mut schedules = vec![Schedule::new(t0, rate, connections, 0, split)];
            if split < connections {
                schedules.push(Schedule::new(t0, rate, connections, split, connections - split));
            }
            let now = t0 + Duration::from_micros(at_us);
            let mut total = 0;
            for s in &schedules {
                let brute = (0..100_000u64).take_while(|&n| s.due(n) <= now).count() as u64;
                // Float rounding can move a due time by a nanosecond at the boundary.
                prop_assert!(s.due_count(now).abs_diff(brute) <= 1);
                total += s.due_count(now);
            }
            let interval_ns = 1e9 / rate;
            let expected = (at_us as f64 * 1e3 / interval_ns).floor() as u64 + 1;
            prop_assert!(total.abs_diff(expected) <= 1);
        }
    }

    #[test]
    fn backlog_counts_due_requests_not_yet_taken() {
        let t0 = Instant::now();
        let s = [
            Schedule::new(t0, 1000.0, 2, 0, 1),
            Schedule::new(t0, 1000.0, 2, 1, 1),
        ];
        let now = t0 + Duration::from_micros(9_500); // indexes 0..=9 due: 5 per thread
        assert_eq!(backlog(&s, &[5, 5], now), 0);
        assert_eq!(backlog(&s, &[2, 7], now), 3);
        assert_eq!(backlog(&s, &[0, 0], t0 - Duration::from_millis(1)), 0);
    }

    /// Waits for 20 due times and returns the median lateness; never early.
    fn median_lateness(use_timerfd: bool) -> Duration {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut pacer = Pacer::new();
            assert!(pacer.timer.is_some(), "timerfd is available on Linux");
            if !use_timerfd {
                pacer.timer = None;
            }
            let mut late = Vec::new();
            for i in 0..20u64 {
                let due = Instant::now() + Duration::from_micros(2_300 + 100 * i);
                pacer.wait_until(due).await;
                let now = Instant::now();
                assert!(now >= due);
                late.push(now - due);
            }
            // Already due: no wait at all.
            pacer
                .wait_until(Instant::now() - Duration::from_millis(1))
                .await;
            late.sort();
            late[late.len() / 2]
        })
    }

    #[test]
    fn waits_are_never_early_and_not_late_by_a_timer_tick() {
        // tokio's sleep alone is late by up to a millisecond; generous for a shared machine.
        assert!(median_lateness(true) < Duration::from_millis(5));
        assert!(median_lateness(false) < Duration::from_millis(5));
    }
}
