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
        // The type comparisons make the casts exact, and cheaper than the dynamic casts of `as?`.
        if Value.self == [UInt8].self { return unsafeBitCast(bytes, to: Value.self) }
        if Value.self == String.self { return unsafeBitCast(String(decoding: bytes, as: UTF8.self), to: Value.self) }
        return try fallback.decode(type, from: bytes)
    }
}
