/// How a `Retry-After` (or a 429) seen by one instance makes every instance wait.
///
/// The instance that sees it pauses the authority at once and stores the pause in Redis under
/// `<keyPrefix>:http:pause:<authority name>`, with the pause as its time to live (so the key is gone when the
/// pause is over, and the keys are at most one per authority). Every instance reads that key for each
/// authority it calls at most every ``refreshInterval``, in the background: a request never waits for Redis.
/// While an authority is paused, a request to it fails at once with a
/// `ResilienceError.Code.rateLimited` error carrying the rest of the pause as its
/// `retryAfter` (which the retry honours when the call's deadline allows, and never counted by the breaker).
///
/// When Redis is down, each instance pauses on what it saw itself, and catches up when Redis answers again.
public struct FleetPauseConfiguration: Sendable {
    /// How often each instance reads an authority's pause from Redis, at most; 250 ms by default.
    public var refreshInterval: Duration
    /// The pause after a 429 without a usable `Retry-After`; 1 s by default, zero for none.
    public var pauseWithoutRetryAfter: Duration

    /// Creates a configuration; every parameter has the default described above.
    /// - Parameters:
    ///   - refreshInterval: The interval between reads of Redis.
    ///   - pauseWithoutRetryAfter: The pause after a bare 429.
    public init(refreshInterval: Duration = .milliseconds(250), pauseWithoutRetryAfter: Duration = .seconds(1)) {
        self.refreshInterval = refreshInterval
        self.pauseWithoutRetryAfter = pauseWithoutRetryAfter
    }
}
