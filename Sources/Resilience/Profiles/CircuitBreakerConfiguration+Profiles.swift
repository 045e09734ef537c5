extension CircuitBreakerConfiguration {
    /// A breaker that opens after `count` failures in a row and stays open for `duration`; every other
    /// setting is the default.
    ///
    /// ```swift
    /// let configuration = CircuitBreakerConfiguration.consecutiveFailures(3, breakFor: .seconds(10))
    /// ```
    /// - Parameters:
    ///   - count: Failures in a row that open it, at least 1.
    ///   - duration: How long it stays open before probing.
    /// - Returns: The configuration.
    public static func consecutiveFailures(_ count: Int, breakFor duration: Duration) -> CircuitBreakerConfiguration {
        CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(count), breakDuration: .fixed(duration))
    }
}
