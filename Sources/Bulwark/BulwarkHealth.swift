/// What a ``Bulwark`` can say about itself without a round trip: whether it runs, whether Redis is shared or
/// the local fallback is in use, and what each store does meanwhile.
public struct BulwarkHealth: Sendable, Hashable {
    /// What a store does right now.
    public enum StoreMode: String, Sendable, Hashable {
        /// Its state lives in Redis, shared by every instance.
        case shared
        /// Breakers: each instance decides alone, with the same configuration, until Redis is back.
        case localFallback = "local-fallback"
        /// Cache: in-process copies and fail-safe stale values are served; the factory runs locally.
        case staleAndLocal = "stale-and-local"
        /// Idempotency and sessions: calls fail, since no instance can promise them from its own memory.
        case failClosed = "fail-closed"
        /// Dead letters: kept in a bounded local buffer and written when Redis answers.
        case localBuffer = "local-buffer"
        /// Fleet-wide rate limits: each instance enforces the limit ÷ the live instances it last counted.
        case localShare = "local-share"
    }

    /// Whether ``Bulwark/run()`` runs: until it does, shared breakers decide locally.
    public var running: Bool
    /// Whether Redis is shared right now or the local fallback is in use (and why).
    public var sharedState: SharedStateStatus
    /// The breakers' mode.
    public var breakers: StoreMode
    /// The cache's mode.
    public var cache: StoreMode
    /// The idempotency store's mode.
    public var idempotency: StoreMode
    /// The session store's mode.
    public var sessions: StoreMode
    /// The dead-letter store's mode.
    public var deadLetters: StoreMode
    /// The mode of fleet-wide rate limits (`SharedRateLimiter`) on the same Redis.
    public var rateLimits: StoreMode
    /// Dead letters waiting in the local buffer.
    public var pendingDeadLetters: Int

    /// Whether everything is shared through Redis and Bulwark runs.
    public var isHealthy: Bool { running && !sharedState.isDegraded && pendingDeadLetters == 0 }

    init(running: Bool, sharedState: SharedStateStatus, pendingDeadLetters: Int) {
        let fallback = sharedState.isDegraded
        self.running = running
        self.sharedState = sharedState
        breakers = fallback || !running ? .localFallback : .shared
        cache = fallback ? .staleAndLocal : .shared
        idempotency = fallback ? .failClosed : .shared
        sessions = fallback ? .failClosed : .shared
        rateLimits = fallback ? .localShare : .shared
        deadLetters = fallback || pendingDeadLetters > 0 ? .localBuffer : .shared
        self.pendingDeadLetters = pendingDeadLetters
    }
}
