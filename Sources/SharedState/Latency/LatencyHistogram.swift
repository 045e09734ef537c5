/// Latencies counted in fixed log-spaced buckets, the same on every instance so that counts add up across the
/// fleet: below 8 µs one bucket per microsecond, above it eight buckets per power of two (each at most 12.5 %
/// wide), up to about 134 s, where the last bucket takes everything slower.
struct LatencyHistogram: Sendable, Equatable {
    /// The number of buckets: 8 exact ones below 8 µs, then 8 per power of two up to 2²⁷ µs.
    static let bucketCount = 200

    private(set) var counts: [Int]
    /// The samples counted.
    private(set) var total = 0

    init() {
        counts = Array(repeating: 0, count: Self.bucketCount)
    }

    /// The bucket of a latency.
    static func bucket(of latency: Duration) -> Int {
        let (seconds, attoseconds) = latency.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        guard seconds < 1 << 27 else { return bucketCount - 1 }
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        guard micros >= 8 else { return Int(micros) }
        let octave = 63 - micros.leadingZeroBitCount
        let sub = Int((micros >> (octave - 3)) & 7)
        return min(bucketCount - 1, (octave - 2) * 8 + sub)
    }

    /// The least latency that falls in no lower bucket than `bucket + 1`: the bucket's exclusive upper bound.
    static func upperBound(ofBucket bucket: Int) -> Duration {
        guard bucket >= 8 else { return .microseconds(bucket + 1) }
        let octave = bucket / 8 + 2
        let lower = Int64(8 + bucket % 8) << (octave - 3)
        return .microseconds(lower + Int64(1) << (octave - 3))
    }

    /// Counts one latency.
    mutating func record(_ latency: Duration) {
        add(Self.bucket(of: latency), count: 1)
    }

    /// Adds `count` samples to bucket `bucket`.
    mutating func add(_ bucket: Int, count: Int) {
        counts[bucket] += count
        total += count
    }

    /// Adds every sample of `other`.
    mutating func merge(_ other: LatencyHistogram) {
        for (bucket, count) in other.counts.enumerated() where count != 0 { counts[bucket] += count }
        total += other.total
    }

    /// The buckets that hold samples, as (bucket, count).
    var occupied: [(bucket: Int, count: Int)] {
        counts.enumerated().compactMap { $0.element == 0 ? nil : ($0.offset, $0.element) }
    }

    /// The latency below which `fraction` of the samples fall, as the upper bound of the bucket that holds the
    /// sample of that rank (so at most 12.5 % high, never low); `nil` without samples.
    func quantile(_ fraction: Double) -> Duration? {
        guard total > 0 else { return nil }
        let rank = max(1, Int((fraction * Double(total)).rounded(.up)))
        var seen = 0
        for (bucket, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return Self.upperBound(ofBucket: bucket) }
        }
        return Self.upperBound(ofBucket: Self.bucketCount - 1)
    }
}
