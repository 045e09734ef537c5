/// Latency samples in nanoseconds, summarised as percentiles.
struct LatencySamples: Sendable {
    private(set) var nanoseconds: [UInt64] = []

    init(reservingCapacity capacity: Int = 0) {
        nanoseconds.reserveCapacity(capacity)
    }

    mutating func record(_ sample: UInt64) {
        nanoseconds.append(sample)
    }

    mutating func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        nanoseconds.append(UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds) / 1_000_000_000))
    }

    mutating func merge(_ other: LatencySamples) {
        nanoseconds.append(contentsOf: other.nanoseconds)
    }

    var count: Int { nanoseconds.count }

    /// The value below which `fraction` of the samples fall (nearest rank), in microseconds.
    func percentileMicroseconds(_ fraction: Double) -> Double {
        guard !nanoseconds.isEmpty else { return .nan }
        let sorted = nanoseconds.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1_000
    }
}

extension BenchLine {
    /// Adds `p50_us` and `p99_us` from the samples.
    mutating func addPercentiles(_ samples: LatencySamples, prefix: String = "") {
        self[prefix + "p50_us"] = .double(samples.percentileMicroseconds(0.50))
        self[prefix + "p99_us"] = .double(samples.percentileMicroseconds(0.99))
    }
}
