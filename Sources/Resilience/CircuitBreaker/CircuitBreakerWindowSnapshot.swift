/// What a circuit breaker's sliding window holds at one moment.
public struct CircuitBreakerWindowSnapshot: Sendable, Hashable {
    /// Calls in the window.
    public var calls: Int
    /// Failures in the window.
    public var failures: Int
    /// Slow calls in the window.
    public var slowCalls: Int
    /// Failures in a row, up to now.
    public var consecutiveFailures: Int

    /// Creates a snapshot.
    /// - Parameters:
    ///   - calls: Calls in the window.
    ///   - failures: Failures in the window.
    ///   - slowCalls: Slow calls in the window.
    ///   - consecutiveFailures: Failures in a row.
    public init(calls: Int = 0, failures: Int = 0, slowCalls: Int = 0, consecutiveFailures: Int = 0) {
        self.calls = calls
        self.failures = failures
        self.slowCalls = slowCalls
        self.consecutiveFailures = consecutiveFailures
    }

    /// Failures over calls; zero with no calls.
    public var failureRatio: Double { calls == 0 ? 0 : Double(failures) / Double(calls) }
    /// Slow calls over calls; zero with no calls.
    public var slowCallRatio: Double { calls == 0 ? 0 : Double(slowCalls) / Double(calls) }
}
