/// A validated breaker name: 1 to 64 characters from `A-Z a-z 0-9 . _ -`.
///
/// Names become parts of Redis keys (`bulwark:{payments}:state`) and of URLs, so anything that could
/// break either — braces, colons, spaces, slashes — is refused with an error that says what is allowed.
public struct BreakerName: Sendable, Hashable, CustomStringConvertible {
    /// The name.
    public let value: String

    /// Validates a name.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        guard !value.isEmpty, value.utf8.count <= 64 else {
            throw SharedStateError(.invalidName, "breaker name must be 1 to 64 characters, got \(value.utf8.count)")
        }
        guard value.utf8.allSatisfy(Self.isAllowed) else {
            throw SharedStateError(.invalidName, "breaker name '\(value)' may contain only A-Z, a-z, 0-9, '.', '_' and '-'")
        }
        self.value = value
    }

    /// The name.
    public var description: String { value }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
