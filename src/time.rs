//! Durations from configuration and the command line, used without overflowing: a timeout
//! such as `timeouts.stop: 500000000y` or `--timeout 584000000000y` is valid (humantime reads
//! it) but `Instant::now() + it` would panic, `as_millis() as u64` would wrap, and shell
//! arithmetic on it would overflow. These helpers saturate instead: a huge timeout means
//! "wait as long as it takes", never "give up at once".

use std::time::{Duration, Instant};

/// The longest wait flinkha plans for: 100 years. Deadlines, millisecond counts and the
/// waits written into generated scripts are capped there, which any clock and any shell's
/// 64-bit arithmetic can hold.
pub const MAX_WAIT: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// `Instant::now() + timeout`, capped at [`MAX_WAIT`] from now (never panics).
pub fn deadline_after(timeout: Duration) -> Instant {
    after(Instant::now(), timeout)
}

/// `start + timeout`, capped at [`MAX_WAIT`] after `start` (never panics).
pub fn after(start: Instant, timeout: Duration) -> Instant {
    let capped = timeout.min(MAX_WAIT);
    start
        .checked_add(capped)
        .or_else(|| start.checked_add(Duration::from_secs(24 * 3600)))
        .unwrap_or(start)
}

/// Whole milliseconds of `d`, saturating at `u64::MAX`.
pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// `ms` since the Unix epoch as RFC 3339 to the second (`2026-12-01T16:40:12Z`), or, past
/// the year 9999 that RFC 3339 can write, `<ms> ms after the epoch`. For timestamps from
/// outside (REST answers, lock files): humantime's formatter fails on those, and
/// `to_string()` on a failing `Display` panics.
pub fn rfc3339_ms(ms: u64) -> String {
    use std::fmt::Write;
    let t = std::time::UNIX_EPOCH.checked_add(Duration::from_millis(ms));
    let mut out = String::new();
    match t {
        Some(t) if write!(out, "{}", humantime::format_rfc3339_seconds(t)).is_ok() => out,
        _ => format!("{ms} ms after the epoch"),
    }
}

/// Poll intervals that start short and grow: a wait that ends soon is seen soon, a long
/// one does not hammer the server. Each `Backoff::next` is 1.5× the previous, from `first`
/// up to `max`.
///
/// Flink's asynchronous operations (a savepoint of small state: 20-60 ms here; a job going
/// RUNNING: seconds) are polled with `Backoff::new(20 ms, 100 ms)`: the time between Flink
/// finishing and flinkha seeing it is at most 100 ms, against 250 ms with a fixed interval,
/// for about 40 requests in the first 4 s (a `GET /jobs/:id` costs the JobManager ~3 ms).
#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
    max: Duration,
}

impl Backoff {
    /// Intervals from `first` to `max` (`first` is clamped to `max`).
    pub fn new(first: Duration, max: Duration) -> Self {
        Self {
            next: first.min(max),
            max,
        }
    }

    /// The polls of Flink's asynchronous operations (savepoint status, a job reaching a
    /// state, a disposal): 20 ms growing to 100 ms.
    pub fn flink_operation() -> Self {
        Self::new(Duration::from_millis(20), Duration::from_millis(100))
    }

    /// The interval to wait now; the next one is 1.5× longer, at most `max`.
    pub fn next_interval(&mut self) -> Duration {
        let now = self.next;
        self.next = (now + now / 2).min(self.max);
        now
    }

    /// Sleep for [`Backoff::next_interval`].
    pub async fn sleep(&mut self) {
        tokio::time::sleep(self.next_interval()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_by_half_up_to_its_cap() {
        let mut b = Backoff::new(Duration::from_millis(20), Duration::from_millis(100));
        let got: Vec<u128> = (0..7).map(|_| b.next_interval().as_millis()).collect();
        assert_eq!(got, [20, 30, 45, 67, 100, 100, 100]);
        let mut b = Backoff::new(Duration::from_secs(5), Duration::from_millis(100));
        assert_eq!(b.next_interval(), Duration::from_millis(100));
    }

    #[test]
    fn timestamps_of_any_size_format() {
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_ms(253_402_300_799_999), "9999-12-31T23:59:59Z");
        assert_eq!(
            rfc3339_ms(253_402_300_800_000),
            "253402300800000 ms after the epoch"
        );
        assert_eq!(
            rfc3339_ms(u64::MAX),
            format!("{} ms after the epoch", u64::MAX)
        );
    }

    #[test]
    fn huge_durations_saturate() {
        let now = Instant::now();
        let d = after(now, Duration::MAX);
        assert!(d > now + Duration::from_secs(99 * 365 * 24 * 3600));
        assert!(deadline_after(Duration::MAX) > Instant::now());
        assert_eq!(
            after(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
        assert_eq!(millis(Duration::MAX), u64::MAX);
        assert_eq!(millis(Duration::from_secs(2)), 2000);
        // What a script does with the cap: `$(date +%s%N) / 1000000 + s * 1000` fits in i64.
        let epoch_ms = 4_102_444_800_000i64; // 2100-01-01
        assert!(
            i64::try_from(MAX_WAIT.as_secs())
                .unwrap()
                .checked_mul(1000)
                .and_then(|v| v.checked_add(epoch_ms))
                .is_some()
        );
    }
}
