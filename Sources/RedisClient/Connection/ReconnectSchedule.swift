/// When a disconnected connection may try again: exponential backoff between failed connects, and at once
/// after a connection that worked breaks.
struct ReconnectSchedule {
    private let initialDelay: Duration
    private let maximumDelay: Duration
    private var delay: Duration
    private var nextAttempt: ContinuousClock.Instant
    /// Why the last attempt failed, kept so that commands refused while waiting can say why.
    private(set) var lastError: RedisClientError?

    init(initialDelay: Duration, maximumDelay: Duration) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.delay = initialDelay
        self.nextAttempt = .now
    }

    /// Whether an attempt may be made now.
    func mayAttempt(at now: ContinuousClock.Instant) -> Bool { now >= nextAttempt }

    /// How long until the next attempt.
    func remaining(at now: ContinuousClock.Instant) -> Duration { max(.zero, nextAttempt - now) }

    /// The error for a command that arrives while the schedule says wait: the last attempt's own error when
    /// Redis refused it (a wrong password stays a wrong password until the next attempt, it is not an
    /// outage), else ``RedisClientError/Code/connectionUnavailable``.
    func waitingError(at now: ContinuousClock.Instant) -> RedisClientError {
        Self.waitingError(lastError: lastError, remaining: remaining(at: now))
    }

    /// The error for a command that arrives `remaining` before the next attempt, after `lastError`.
    static func waitingError(lastError: RedisClientError?, remaining: Duration) -> RedisClientError {
        if let lastError, !lastError.failureKind.isUnreachable { return lastError }
        let reason = lastError.map { " after: \($0.message)" } ?? ""
        return RedisClientError(.connectionUnavailable, "not connected to Redis; next attempt in \(remaining)\(reason)")
    }

    /// Records a failed attempt and doubles the wait, up to the maximum.
    mutating func attemptFailed(_ error: RedisClientError, at now: ContinuousClock.Instant) {
        lastError = error
        nextAttempt = now + delay
        delay = min(delay * 2, maximumDelay)
    }

    /// Records a successful connect or a lost connection that worked: the next attempt may come at once.
    mutating func reset(at now: ContinuousClock.Instant) {
        delay = initialDelay
        nextAttempt = now
    }
}
