import Foundation

/// Turns cached values into bytes and back; the cache stores bytes only.
public protocol CacheCodec: Sendable {
    /// Encodes a value.
    func encode<Value: Encodable>(_ value: Value) throws -> [UInt8]
    /// Decodes a value.
    func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value
}

/// JSON through Foundation's encoder and decoder: readable in `redis-cli`, the default.
public struct JSONCacheCodec: CacheCodec {
    /// Creates the codec.
    public init() {}

    /// Encodes as JSON.
    public func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        Array(try JSONEncoder().encode(value))
    }

    /// Decodes JSON.
    public func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
