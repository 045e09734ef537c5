/// The sliding window of a circuit breaker, kept under its lock.
///
/// A count window of `n` calls keeps `min(n, 10)` buckets of `ceil(n / buckets)` calls and drops the
/// oldest bucket when a new one starts; a time window keeps one bucket per slice of its duration.
///
/// Plain successes are not recorded here: they are counted lock-free in ``StripedCounters`` and
/// joined in when the window is read. A count window folds the successes counted since its last
/// read in before the outcome that made it read (the order between a failure and the successes
/// just before it is therefore not kept, only their number); a time window reads the successes
/// of each bucket from the stripes' bucket slots.
struct BreakerWindow {
    private struct Bucket {
        var epoch: Int64 = .min
        var calls = 0
        var failures = 0
        var slowCalls = 0
    }

    private enum Kind {
        case count(size: Int, bucketSize: Int)
        case time(bucketNanos: Int64)
    }

    private let kind: Kind
    private var buckets: [Bucket]
    private var current = 0
    private var foldedSuccesses: UInt64 = 0
    private var resetEpoch: Int64 = .min
    private var resetBaseline: UInt64 = 0

    init(_ window: CircuitBreakerConfiguration.Window) {
        switch window.kind {
        case .count(let size):
            let bucketCount = min(size, 10)
            kind = .count(size: size, bucketSize: (size + bucketCount - 1) / bucketCount)
            buckets = Array(repeating: Bucket(epoch: 0), count: bucketCount)
        case .time(let duration, let bucketCount):
            kind = .time(bucketNanos: max(1, duration.clampedNanoseconds / Int64(bucketCount)))
            buckets = Array(repeating: Bucket(), count: bucketCount)
        }
    }

    /// The slots the stripes need for successes: one per bucket for a time window, none for a count window.
    var successSlots: Int {
        if case .time = kind { return buckets.count }
        return 0
    }

    /// The bucket epoch of `now`, for a time window.
    var bucketNanos: Int64? {
        if case .time(let bucketNanos) = kind { return bucketNanos }
        return nil
    }

    /// Records a call that went through the lock: a failure, or a slow success.
    mutating func record(failure: Bool, slow: Bool, now: Int64, counters: StripedCounters) {
        switch kind {
        case .count(_, let bucketSize):
            fold(counters: counters, bucketSize: bucketSize)
            add(calls: 1, failures: failure ? 1 : 0, slowCalls: slow ? 1 : 0, bucketSize: bucketSize)
        case .time(let bucketNanos):
            let index = timeBucket(now: now, bucketNanos: bucketNanos)
            buckets[index].calls += 1
            buckets[index].failures += failure ? 1 : 0
            buckets[index].slowCalls += slow ? 1 : 0
        }
    }

    /// The calls, failures and slow calls in the window now.
    mutating func snapshot(now: Int64, counters: StripedCounters) -> (calls: Int, failures: Int, slowCalls: Int) {
        switch kind {
        case .count(_, let bucketSize):
            fold(counters: counters, bucketSize: bucketSize)
            return buckets.reduce(into: (0, 0, 0)) { sum, bucket in
                sum.0 += bucket.calls
                sum.1 += bucket.failures
                sum.2 += bucket.slowCalls
            }
        case .time(let bucketNanos):
            let epoch = now / bucketNanos
            let oldest = max(epoch - Int64(buckets.count) + 1, resetEpoch)
            var result = (calls: 0, failures: 0, slowCalls: 0)
            for bucket in buckets where bucket.epoch >= oldest && bucket.epoch <= epoch {
                result.calls += bucket.calls
                result.failures += bucket.failures
                result.slowCalls += bucket.slowCalls
            }
            if oldest <= epoch {
                var successes = counters.slotSum(fromEpoch: UInt64(bitPattern: oldest), toEpoch: UInt64(bitPattern: epoch))
                if oldest == resetEpoch { successes &-= min(successes, resetBaseline) }
                result.calls += Int(truncatingIfNeeded: successes)
            }
            return result
        }
    }

    /// Empties the window, such as when the breaker closes.
    mutating func reset(now: Int64, counters: StripedCounters) {
        switch kind {
        case .count:
            foldedSuccesses = counters.sum(.successes)
            for index in buckets.indices { buckets[index] = Bucket(epoch: 0) }
            current = 0
        case .time(let bucketNanos):
            for index in buckets.indices { buckets[index] = Bucket() }
            resetEpoch = now / bucketNanos
            resetBaseline = counters.slotSum(fromEpoch: UInt64(bitPattern: resetEpoch), toEpoch: UInt64(bitPattern: resetEpoch))
        }
    }

    private mutating func fold(counters: StripedCounters, bucketSize: Int) {
        let total = counters.sum(.successes)
        let pending = total &- foldedSuccesses
        foldedSuccesses = total
        guard pending > 0 else { return }
        let size = bucketSize * buckets.count
        add(calls: min(Int(pending), size), failures: 0, slowCalls: 0, bucketSize: bucketSize)
    }

    private mutating func add(calls: Int, failures: Int, slowCalls: Int, bucketSize: Int) {
        var remaining = calls
        var failuresLeft = failures
        var slowLeft = slowCalls
        while remaining > 0 {
            if buckets[current].calls >= bucketSize {
                current = (current + 1) % buckets.count
                buckets[current] = Bucket(epoch: 0)
            }
            let take = min(remaining, bucketSize - buckets[current].calls)
            buckets[current].calls += take
            let takeFailures = min(failuresLeft, take)
            buckets[current].failures += takeFailures
            failuresLeft -= takeFailures
            let takeSlow = min(slowLeft, take)
            buckets[current].slowCalls += takeSlow
            slowLeft -= takeSlow
            remaining -= take
        }
    }

    private mutating func timeBucket(now: Int64, bucketNanos: Int64) -> Int {
        let epoch = now / bucketNanos
        let index = Int(epoch % Int64(buckets.count))
        if buckets[index].epoch != epoch { buckets[index] = Bucket(epoch: epoch) }
        return index
    }
}
