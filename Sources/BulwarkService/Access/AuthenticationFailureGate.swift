import Synchronization

/// Slows guessing of the admin token: after `limit` wrong tokens from one client address within `window`,
/// changes from that address are refused (429, with `Retry-After`) until its oldest failure leaves the window.
///
/// Counts are per address, so strangers cannot lock the operator out; at most `maximumAddresses` addresses are
/// remembered (those whose last failure is oldest are forgotten first), so a flood of addresses cannot grow it.
final class AuthenticationFailureGate: Sendable {
    private let limit: Int
    private let window: Duration
    private let maximumAddresses: Int
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(limit: Int = 10, window: Duration = .seconds(60), maximumAddresses: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.maximumAddresses = maximumAddresses
    }

    /// How long changes from `address` stay refused, or nil when they may be tried.
    func closedFor(_ address: String, at now: ContinuousClock.Instant = .now) -> Duration? {
        failures.withLock { failures in
            guard var recent = failures[address] else { return nil }
            recent.removeAll { $0 + window <= now }
            failures[address] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return oldest + window - now
        }
    }

    /// Counts a wrong token from `address`.
    func recordFailure(_ address: String, at now: ContinuousClock.Instant = .now) {
        failures.withLock { failures in
            var recent = failures[address] ?? []
            recent.append(now)
            if recent.count > limit { recent.removeFirst(recent.count - limit) }
            failures[address] = recent
            if failures.count > maximumAddresses {
                failures = failures.filter { $0.value.last.map { $0 + window > now } ?? false }
                while failures.count > maximumAddresses, let stalest = failures.min(by: { ($0.value.last ?? now) < ($1.value.last ?? now) }) {
                    failures[stalest.key] = nil
                }
            }
        }
    }

    /// Number of addresses remembered.
    var addressCount: Int { failures.withLock { $0.count } }
}
