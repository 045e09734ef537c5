/// An error reply from Redis, such as `NOSCRIPT No matching script`.
///
/// ``code`` is the first word of the reply (`ERR`, `WRONGTYPE`, `NOSCRIPT`, `READONLY`, …), which Redis
/// documents as the stable part; callers compare it, not the rest of the message.
public struct RedisServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error code: the first word of the reply.
    public var code: String
    /// The whole reply text.
    public var message: String

    /// Parses an error reply.
    public init(reply: String) {
        message = reply
        let first = reply.prefix { $0 != " " }
        code = first.isEmpty || first.contains(where: \.isLowercase) ? "ERR" : String(first)
    }

    /// Whether the same command may succeed later without change (loading, failover, busy script).
    public var isTransient: Bool {
        ["LOADING", "READONLY", "MASTERDOWN", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS"].contains(code)
    }

    /// The reply text.
    public var description: String { message }
}
