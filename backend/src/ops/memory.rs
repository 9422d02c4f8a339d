//! Memory given back to the system once many streams have closed.
//!
//! Each open event stream holds some tens of KiB (its connection's buffers,
//! its task); when thousands close at once (screens turned off at closing
//! time, a network blip), glibc's allocator keeps the freed pages for
//! reuse and the process's RSS stays at its peak. A background task asks it
//! to return them ([`malloc_trim`]) after a burst of closes, at most once a
//! tick, off the async workers.
//!
//! [`malloc_trim`]: https://man7.org/linux/man-pages/man3/malloc_trim.3.html

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use tokio_util::sync::CancellationToken;

/// Streams closed since the last trim.
static CLOSED: AtomicUsize = AtomicUsize::new(0);
/// Fewer closes than this are not worth a trim (the pages will be reused).
const WORTH_TRIMMING: usize = 64;

/// Counts one long-lived connection (an event stream) that ended.
pub fn stream_closed() {
    CLOSED.fetch_add(1, Ordering::Relaxed);
}

/// Every `every`, returns freed memory to the system if enough closed since.
pub fn spawn_trimmer(every: Duration, shutdown: CancellationToken) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {
                    if CLOSED.swap(0, Ordering::Relaxed) >= WORTH_TRIMMING {
                        let _ = tokio::task::spawn_blocking(trim).await;
                    }
                }
            }
        }
    });
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    let started = std::time::Instant::now();
    // SAFETY: malloc_trim has no preconditions; it only walks the allocator's own arenas.
    let released = unsafe { libc::malloc_trim(0) };
    tracing::debug!(released, ms = started.elapsed().as_millis() as u64, "memory trimmed");
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}
