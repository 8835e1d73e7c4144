//! A per-connection deadline that costs (almost) nothing per request.
//!
//! `tokio::time::timeout` registers a timer in the runtime's wheel for every request and removes
//! it again: measurable user CPU at tens of thousands of requests per second. A watchdog keeps
//! one timer per connection instead and lets it run late: deadlines (send time plus timeout) only
//! move forward, so when the timer fires before the current request's deadline it is re-armed to
//! that deadline, which happens about once per `--timeout` per connection, not once per request.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use tokio::time::Sleep;

/// One connection's timer.
pub struct Watchdog {
    sleep: Pin<Box<Sleep>>,
}

impl Watchdog {
    /// Needs a tokio runtime with time enabled.
    pub fn new() -> Watchdog {
        let far = Instant::now() + Duration::from_secs(365 * 24 * 3600);
        Watchdog {
            sleep: Box::pin(tokio::time::sleep_until(far.into())),
        }
    }

    /// Runs `work` until `deadline`: its output, or `None` when the deadline came first.
    pub async fn run<F: Future>(&mut self, deadline: Instant, work: F) -> Option<F::Output> {
        let mut work = std::pin::pin!(work);
        let sleep = &mut self.sleep;
        // The timer may fire early (an earlier deadline), never late.
        if sleep.deadline() > deadline.into() {
            sleep.as_mut().reset(deadline.into());
        }
        poll_fn(|cx| {
            if let Poll::Ready(output) = work.as_mut().poll(cx) {
                return Poll::Ready(Some(output));
            }
            while sleep.as_mut().poll(cx).is_ready() {
                if Instant::now() >= deadline {
                    return Poll::Ready(None);
                }
                sleep.as_mut().reset(deadline.into());
            }
            Poll::Pending
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finishes_work_in_time_and_cuts_off_work_past_its_deadline() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut watchdog = Watchdog::new();
            let soon = Instant::now() + Duration::from_secs(5);
            assert_eq!(watchdog.run(soon, async { 7 }).await, Some(7));
            // An earlier deadline than the armed one moves the timer earlier.
            let start = Instant::now();
            let deadline = start + Duration::from_millis(30);
            let never = std::future::pending::<()>();
            assert_eq!(watchdog.run(deadline, never).await, None);
            assert!(Instant::now() >= deadline);
            // A later deadline: the timer fires at the old one first and is re-armed.
            let later = Instant::now() + Duration::from_millis(60);
            let slow = tokio::time::sleep(Duration::from_millis(10));
            assert_eq!(watchdog.run(later, slow).await, Some(()));
            let never = std::future::pending::<()>();
            assert_eq!(watchdog.run(later, never).await, None);
            assert!(Instant::now() >= later);
        });
    }
}
