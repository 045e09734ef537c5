/// What a ``SharedRateLimiter`` did since it was made, across every key.
public struct SharedRateLimiterStatistics: Sendable, Hashable {
    /// Calls admitted.
    public var admitted = 0
    /// Calls refused.
    public var denied = 0
    /// Calls decided by Redis's script (each one round trip), successful or refused.
    public var scriptCalls = 0
    /// Tokens reserved in Redis by this instance.
    public var reservedTokens = 0
    /// The size of the last batch reserved.
    public var lastBatch = 0
    /// Reserved tokens dropped unspent when their batch expired.
    public var expiredTokens = 0
    /// Calls decided by the local fallback while Redis was away.
    public var fallbackDecisions = 0
    /// Times this instance switched to the local fallback.
    public var fallbacks = 0

    /// Creates empty statistics.
    public init() {}
}
