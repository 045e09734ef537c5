/// A value that can be sent as one argument of a Redis command.
///
/// Conformers append their bytes; the command adds the RESP framing.
public protocol RedisArgumentConvertible: Sendable {
    /// Appends this argument's bytes, unframed.
    func appendRedisBytes(to buffer: inout [UInt8])
    /// The number of bytes ``appendRedisBytes(to:)`` will append, when known cheaply; `nil` otherwise.
    var redisByteCount: Int? { get }
}

extension RedisArgumentConvertible {
    /// Unknown: the bytes are written to a scratch buffer first to learn their length.
    public var redisByteCount: Int? { nil }
}

extension String: RedisArgumentConvertible {
    /// Appends the UTF-8 bytes.
    public func appendRedisBytes(to buffer: inout [UInt8]) {
        var copy = self
        copy.withUTF8 { buffer.append(contentsOf: $0) }
    }

    /// The UTF-8 length.
    public var redisByteCount: Int? { utf8.count }
}

extension Substring: RedisArgumentConvertible {
    /// Appends the UTF-8 bytes.
    public func appendRedisBytes(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: utf8)
    }
}

extension Array: RedisArgumentConvertible where Element == UInt8 {
    /// Appends the bytes as they are.
    public func appendRedisBytes(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: self)
    }

    /// The number of bytes.
    public var redisByteCount: Int? { count }
}

extension ArraySlice: RedisArgumentConvertible where Element == UInt8 {
    /// Appends the bytes as they are.
    public func appendRedisBytes(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: self)
    }

    /// The number of bytes.
    public var redisByteCount: Int? { count }
}

extension Int: RedisArgumentConvertible {
    /// Appends the decimal digits.
    public func appendRedisBytes(to buffer: inout [UInt8]) {
        RESPWriter.appendDecimal(self, to: &buffer)
    }
}

extension Double: RedisArgumentConvertible {
    /// Appends the shortest decimal form that reads back as the same value.
    public func appendRedisBytes(to buffer: inout [UInt8]) {
        description.appendRedisBytes(to: &buffer)
    }
}
