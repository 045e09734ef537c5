/// How long a shared breaker's traces stay in Redis when nobody uses them.
struct SharedBreakerRetention: Sendable {
    /// How long an instance's last report stays in a breaker's instances hash (ms).
    var reportMilliseconds = 3_600_000
    /// How long a breaker's keys stay when nobody reports for it (ms).
    var breakerMilliseconds = 7 * 86_400_000
}
