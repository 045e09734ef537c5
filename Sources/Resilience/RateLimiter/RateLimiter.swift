/// A local rate limiter: decides at once, never waits, and says how long to wait when it refuses.
public protocol RateLimiter: Sendable {
    /// The name, used in errors, logs and metrics.
    var name: String { get }

    /// Takes `permits` if the rate allows it now.
    /// - Parameter permits: How many permits the call needs; 1 for one call.
    /// - Returns: ``RateLimitDecision/allowed``, or ``RateLimitDecision/denied(retryAfter:)`` with a Retry-After hint.
    func tryAcquire(permits: Int) -> RateLimitDecision
}

extension RateLimiter {
    /// Runs `operation` if one permit is available now.
    /// - Parameter operation: The call.
    /// - Returns: What `operation` returned.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/rateLimited`` and a `retryAfter`
    ///   when refused, or what `operation` threw.
    @inlinable
    public func execute<T>(_ operation: () async throws -> T) async throws -> T {
        try check()
        return try await operation()
    }

    /// Runs a synchronous `operation` if one permit is available now.
    /// - Parameter operation: The call.
    /// - Returns: What `operation` returned.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/rateLimited`` when refused, or what `operation` threw.
    public func executeSync<T>(_ operation: () throws -> T) throws -> T {
        try check()
        return try operation()
    }

    /// Takes one permit or throws the rate-limited error.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/rateLimited`` and a `retryAfter`.
    public func check() throws(ResilienceError) {
        if case .denied(let retryAfter) = tryAcquire(permits: 1) {
            throw ResilienceError(.rateLimited, message: "rate limiter '\(name)' refused the call", retryAfter: retryAfter)
        }
    }
}
