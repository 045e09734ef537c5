import Resilience

/// Rates of calls, failures and rejections from the running totals that instances report, measured over
/// the last ``window`` of Redis time. A value type with no I/O: the overview feeds it samples.
struct BreakerRates: Sendable {
    /// How far back rates look.
    static let window: Int64 = 10_000
    /// The closest two kept samples may be; a newer one replaces the last instead.
    static let spacing: Int64 = 200

    /// What changed between the oldest kept sample and the newest one.
    struct Change: Sendable, Equatable {
        var successes: Double = 0
        var failures: Double = 0
        var rejections: Double = 0
        var seconds: Double = 0

        /// Calls that ran, per second.
        var callsPerSecond: Double { seconds > 0 ? (successes + failures) / seconds : 0 }
        /// Rejections per second.
        var rejectedPerSecond: Double { seconds > 0 ? rejections / seconds : 0 }
        /// Failures among the calls that ran, `nil` when none ran.
        var failureRatio: Double? { successes + failures > 0 ? failures / (successes + failures) : nil }
    }

    private struct Sample: Sendable {
        let at: Int64
        let totals: CircuitBreakerOutcomeCounts
    }

    private struct Key: Hashable, Sendable {
        let breaker: String
        let instance: String
    }

    private var samples: [Key: [Sample]] = [:]

    /// Records an instance's totals for a breaker at `now` (Redis time, ms) and returns the change over
    /// the window. Totals that went down (the instance restarted) start the history again.
    mutating func record(breaker: String, instance: String, totals: CircuitBreakerOutcomeCounts, now: Int64) -> Change {
        let key = Key(breaker: breaker, instance: instance)
        var history = samples[key] ?? []
        if let last = history.last,
            last.totals.successes > totals.successes || last.totals.failures > totals.failures
                || last.totals.rejections > totals.rejections || last.at > now
        {
            history = []
        }
        // Samples closer together than `spacing` would add nothing but memory when the API is polled hard.
        if let last = history.last, history.count > 1, now - last.at < Self.spacing {
            history[history.count - 1] = Sample(at: now, totals: totals)
        } else {
            history.append(Sample(at: now, totals: totals))
        }
        // Keep one sample at or before the window's start as the baseline.
        while history.count > 2, history[1].at <= now - Self.window { history.removeFirst() }
        samples[key] = history
        guard let first = history.first, first.at < now else { return Change() }
        return Change(
            successes: Double(totals.successes - first.totals.successes),
            failures: Double(totals.failures - first.totals.failures),
            rejections: Double(totals.rejections - first.totals.rejections),
            seconds: Double(now - first.at) / 1_000
        )
    }

    /// Forgets the histories of breakers and instances that are gone, so that they do not pile up.
    mutating func retain(breakers: Set<String>, instances: Set<String>) {
        samples = samples.filter { breakers.contains($0.key.breaker) && instances.contains($0.key.instance) }
    }
}
