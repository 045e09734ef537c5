import Synchronization

/// A limit on retries across calls, so that a failing dependency does not get a retry storm.
///
/// Every call deposits; every retry withdraws. Over the last ``window`` a retry is allowed while
/// the retries made stay below `max(minimumRetries, ratio × calls)` — the budget of Finagle's
/// `RetryBudget` and gRPC's retry throttling, in time buckets. With the defaults (20 % of calls,
/// at least 10 retries per 10 s) a healthy service retries freely and a broken one adds at most a
/// fifth to its load.
public final class RetryBudget: Sendable {
    private struct Bucket {
        var epoch: Int64 = .min
        var calls = 0
        var retries = 0
    }

    /// The fraction of recent calls that may be retried.
    public let ratio: Double
    /// Retries always allowed per window, whatever the traffic.
    public let minimumRetries: Int
    /// How far back calls and retries count.
    public let window: Duration

    private let clock: any ResilienceClock
    private let bucketNanos: Int64
    private let buckets: Mutex<[Bucket]>

    /// Creates a budget.
    /// - Parameters:
    ///   - ratio: The fraction of calls that may be retried; 0.2 by default.
    ///   - minimumRetries: Retries always allowed per window; 10 by default.
    ///   - window: The window; 10 s by default.
    ///   - clock: The clock.
    public init(ratio: Double = 0.2, minimumRetries: Int = 10, window: Duration = .seconds(10), clock: any ResilienceClock = SystemClock()) {
        self.ratio = max(0, ratio)
        self.minimumRetries = max(0, minimumRetries)
        self.window = window
        self.clock = clock
        bucketNanos = max(1, window.clampedNanoseconds / 10)
        buckets = Mutex(Array(repeating: Bucket(), count: 10))
    }

    /// Counts one call.
    public func recordCall() {
        let epoch = clock.now.nanoseconds / bucketNanos
        buckets.withLock { buckets in
            let index = Int(epoch % Int64(buckets.count))
            if buckets[index].epoch != epoch { buckets[index] = Bucket(epoch: epoch) }
            buckets[index].calls += 1
        }
    }

    /// Takes one retry from the budget if there is room.
    /// - Returns: Whether the retry may happen.
    public func tryWithdraw() -> Bool {
        let epoch = clock.now.nanoseconds / bucketNanos
        return buckets.withLock { buckets in
            var calls = 0
            var retries = 0
            for bucket in buckets where bucket.epoch > epoch - Int64(buckets.count) {
                calls += bucket.calls
                retries += bucket.retries
            }
            guard retries < max(minimumRetries, Int(ratio * Double(calls))) else { return false }
            let index = Int(epoch % Int64(buckets.count))
            if buckets[index].epoch != epoch { buckets[index] = Bucket(epoch: epoch) }
            buckets[index].retries += 1
            return true
        }
    }
}
