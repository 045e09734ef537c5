/// A validated cache key, tag or prefix: 1 to 512 bytes of printable ASCII without spaces.
///
/// Keys become parts of Redis keys and of pub/sub messages (which separate fields with spaces), so
/// whitespace and control characters are refused with a clear error, before anything reaches Redis.
public struct CacheKey: Sendable, Hashable, CustomStringConvertible {
    /// The key.
    public let value: String

    /// Validates a key.
    /// - Parameters:
    ///   - value: The key, tag or prefix.
    ///   - what: What the text is (`key`, `tag`, `prefix`), for the error message.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String, what: String = "key") throws(SharedStateError) {
        guard !value.isEmpty, value.utf8.count <= 512 else {
            throw SharedStateError(.invalidName, "cache \(what) must be 1 to 512 bytes, got \(value.utf8.count)")
        }
        var text = value
        let printable = text.withUTF8 { bytes in
            for byte in bytes where byte <= 0x20 || byte >= 0x7F { return false }
            return true
        }
        guard printable else {
            throw SharedStateError(.invalidName, "cache \(what) '\(value)' may contain only printable ASCII without spaces")
        }
        self.value = value
    }

    /// The key.
    public var description: String { value }
}
