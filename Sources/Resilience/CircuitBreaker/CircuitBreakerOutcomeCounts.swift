/// Outcome counts of a circuit breaker over an interval, such as since the last drain.
public struct CircuitBreakerOutcomeCounts: Sendable, Hashable {
    /// Calls that succeeded (including slow successes).
    public var successes: UInt64
    /// Calls that failed (including slow failures).
    public var failures: UInt64
    /// Calls that were slow, whether they succeeded or failed.
    public var slowCalls: UInt64
    /// Calls rejected without running.
    public var rejections: UInt64

    /// Creates counts.
    /// - Parameters:
    ///   - successes: Successes.
    ///   - failures: Failures.
    ///   - slowCalls: Slow calls.
    ///   - rejections: Rejections.
    public init(successes: UInt64 = 0, failures: UInt64 = 0, slowCalls: UInt64 = 0, rejections: UInt64 = 0) {
        self.successes = successes
        self.failures = failures
        self.slowCalls = slowCalls
        self.rejections = rejections
    }

    /// Calls that ran: successes plus failures.
    public var calls: UInt64 { successes &+ failures }

    /// Whether nothing was counted.
    public var isEmpty: Bool { successes == 0 && failures == 0 && slowCalls == 0 && rejections == 0 }

    /// The counts of `lhs` less those of `rhs`, for totals taken at two moments.
    public static func - (lhs: CircuitBreakerOutcomeCounts, rhs: CircuitBreakerOutcomeCounts) -> CircuitBreakerOutcomeCounts {
        CircuitBreakerOutcomeCounts(
            successes: lhs.successes &- rhs.successes,
            failures: lhs.failures &- rhs.failures,
            slowCalls: lhs.slowCalls &- rhs.slowCalls,
            rejections: lhs.rejections &- rhs.rejections
        )
    }
}
