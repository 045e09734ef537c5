/// How a ``RetryPolicy`` retries.
///
/// Defaults: 3 attempts in all (the first and two retries), exponential backoff from 100 ms with
/// full jitter capped at 10 s, no elapsed-time limit, Retry-After honoured, no retry budget, and the
/// ``ResilienceError/Code-swift.struct/dependencyFailures`` retried: a plain `Error` is, a breaker's or a
/// bulkhead's rejection is not.
///
/// No wait ever ends past the call's deadline: ``maxElapsed``, or the deadline of a ``TimeoutPolicy`` around
/// the retry (the total timeout of a ``PolicyPipeline``). When the backoff or a Retry-After hint would, the
/// retry stops at once with the last error instead of sleeping until the timeout cancels it; a hint longer than
/// ``maxRetryAfter`` (30 s) stops it too, deadline or not.
public struct RetryConfiguration: Sendable {
    /// Attempts in all, the first included; at least 1.
    public var maxAttempts: Int
    /// The delays between attempts.
    public var backoff: Backoff
    /// The longest the whole call may take including waits; no retry starts that would wait past it.
    public var maxElapsed: Duration?
    /// Whether a Retry-After carried by the error sets the least delay (it may exceed the backoff's cap,
    /// but never the call's deadline).
    public var honorRetryAfter: Bool
    /// The longest Retry-After hint worth waiting for; a longer one ends the retries at once with the error
    /// that carried it (the callee asked for more patience than the caller has).
    public var maxRetryAfter: Duration
    /// Decides which errors are retried; the ``ResilienceError/Code-swift.struct/dependencyFailures`` when `nil`.
    /// Cancellation is never retried.
    public var shouldRetry: (@Sendable (any Error) -> Bool)?
    /// Limits retries to a fraction of recent calls, shared by every call that uses it.
    public var budget: RetryBudget?

    /// Creates a configuration; every parameter has the default described above.
    /// - Parameters:
    ///   - maxAttempts: Attempts in all.
    ///   - backoff: The delays.
    ///   - maxElapsed: The limit on the whole call.
    ///   - honorRetryAfter: Whether Retry-After is honoured.
    ///   - maxRetryAfter: The longest hint worth waiting for.
    ///   - shouldRetry: Which errors are retried.
    ///   - budget: The retry budget.
    public init(
        maxAttempts: Int = 3,
        backoff: Backoff = .exponential(initial: .milliseconds(100), maxDelay: .seconds(10), jitter: .full),
        maxElapsed: Duration? = nil,
        honorRetryAfter: Bool = true,
        maxRetryAfter: Duration = .seconds(30),
        shouldRetry: (@Sendable (any Error) -> Bool)? = nil,
        budget: RetryBudget? = nil
    ) {
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.maxElapsed = maxElapsed
        self.honorRetryAfter = honorRetryAfter
        self.maxRetryAfter = maxRetryAfter
        self.shouldRetry = shouldRetry
        self.budget = budget
    }

    /// The default configuration with `retries` retries after the first attempt.
    /// - Parameter retries: Retries after the first attempt; 0 turns retrying off.
    /// - Returns: A configuration of `retries + 1` attempts.
    public static func retries(_ retries: Int) -> RetryConfiguration {
        RetryConfiguration(maxAttempts: retries &+ 1)
    }

    /// Checks the invariants.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/badRequest`` naming the field at fault.
    public func validate() throws(ResilienceError) {
        if maxAttempts < 1 { throw ResilienceError(.badRequest, message: "maxAttempts must be at least 1") }
        if let maxElapsed, maxElapsed <= .zero { throw ResilienceError(.badRequest, message: "maxElapsed must be positive") }
        if maxRetryAfter < .zero { throw ResilienceError(.badRequest, message: "maxRetryAfter must not be negative") }
    }
}
