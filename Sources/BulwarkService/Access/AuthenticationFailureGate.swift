import Synchronization

/// Stops guessing of the admin token: after `limit` failed attempts within `window`, every change is
/// refused (429, with `Retry-After`) until the oldest failure leaves the window — the right token too,
/// or a guesser could keep testing tokens between refusals.
final class AuthenticationFailureGate: Sendable {
    private let limit: Int
    private let window: Duration
    private let failures = Mutex<[ContinuousClock.Instant]>([])

    init(limit: Int = 10, window: Duration = .seconds(60)) {
        self.limit = limit
        self.window = window
    }

    /// How long changes stay refused, or nil when they may be tried.
    func closedFor(at now: ContinuousClock.Instant = .now) -> Duration? {
        failures.withLock { failures in
            failures.removeAll { $0 + window <= now }
            guard failures.count >= limit, let oldest = failures.first else { return nil }
            return oldest + window - now
        }
    }

    /// Counts a failed attempt.
    func recordFailure(at now: ContinuousClock.Instant = .now) {
        failures.withLock { failures in
            failures.append(now)
            if failures.count > limit { failures.removeFirst(failures.count - limit) }
        }
    }
}
