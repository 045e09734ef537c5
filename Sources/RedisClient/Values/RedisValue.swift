/// A reply from Redis (RESP2).
///
/// Strings are bytes: Redis strings are binary-safe, and so is this type. Use ``string`` to read one as
/// UTF-8 text.
public enum RedisValue: Sendable, Hashable {
    /// The nil bulk string or nil array: the key or value is absent.
    case null
    /// An integer reply.
    case integer(Int)
    /// A simple status string such as `OK` or `PONG`.
    case simpleString([UInt8])
    /// A bulk string: any bytes, NUL included.
    case bulkString([UInt8])
    /// An array reply.
    case array([RedisValue])
    /// An error reply. ``RedisClient/send(_:timeout:)`` throws it; pipelines return it in place.
    case error(RedisServerError)

    /// The bytes of a simple or bulk string.
    public var bytes: [UInt8]? {
        switch self {
        case .simpleString(let bytes), .bulkString(let bytes): bytes
        default: nil
        }
    }

    /// A simple or bulk string decoded as UTF-8, or an integer in decimal.
    public var string: String? {
        switch self {
        case .simpleString(let bytes), .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// An integer reply, or a string holding a decimal integer.
    public var int: Int? {
        switch self {
        case .integer(let value): value
        case .simpleString(let bytes), .bulkString(let bytes): Int(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The elements of an array reply.
    public var array: [RedisValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is the nil reply.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Throws the error reply, or returns the value unchanged.
    public func throwingServerError(command: String) throws(RedisClientError) -> RedisValue {
        if case .error(let error) = self {
            throw RedisClientError(.serverError, "\(command) failed: \(error.message)", serverError: error)
        }
        return self
    }
}
