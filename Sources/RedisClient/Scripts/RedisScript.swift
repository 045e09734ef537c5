import Crypto

/// A Lua script, known to Redis by the SHA-1 of its source.
///
/// ``RedisClient/evaluate(_:keys:arguments:)`` runs it with `EVALSHA`, and sends the source with `EVAL` only
/// when Redis answers `NOSCRIPT` (after a restart or `SCRIPT FLUSH`), which also loads it again.
///
/// ```swift
/// let increment = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
/// let value = try await client.evaluate(increment, keys: ["counter"], arguments: ["5"])
/// ```
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The lowercase hex SHA-1 of the source, as `EVALSHA` expects it.
    public let sha1: String

    /// Creates a script from its source.
    public init(_ source: String) {
        self.source = source
        self.sha1 = Insecure.SHA1.hash(data: Array(source.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
