extension CircuitBreakerConfiguration.FailureThreshold {
    /// The number of consecutive failures that trips, for a consecutive-failures threshold.
    public var consecutiveFailures: Int? {
        if case .consecutive(let count) = kind { return count }
        return nil
    }

    /// The failure ratio that trips, for a ratio threshold.
    public var failureRatio: Double? {
        if case .ratio(let ratio) = kind { return ratio }
        return nil
    }
}

extension CircuitBreakerConfiguration.Window {
    /// The number of calls, for a count-based window.
    public var callCount: Int? {
        if case .count(let calls) = kind { return calls }
        return nil
    }

    /// The length, for a time-based window.
    public var duration: Duration? {
        if case .time(let duration, _) = kind { return duration }
        return nil
    }
}
