import Foundation

/// Stores `[UInt8]` and `String` values as their bytes, without any encoding, and other values as JSON.
///
/// For blobs and text the cache then costs one copy per hit, not a decode.
public struct RawCacheCodec: CacheCodec {
    private let fallback = JSONCacheCodec()

    /// Creates the codec.
    public init() {}

    /// Bytes as they are, strings as UTF-8, anything else as JSON.
    public func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        if let bytes = value as? [UInt8] { return bytes }
        if let string = value as? String { return Array(string.utf8) }
        return try fallback.encode(value)
    }

    /// The inverse of ``encode(_:)``.
    public func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        if Value.self == [UInt8].self, let value = bytes as? Value { return value }
        if Value.self == String.self, let value = String(decoding: bytes, as: UTF8.self) as? Value { return value }
        return try fallback.decode(type, from: bytes)
    }
}
