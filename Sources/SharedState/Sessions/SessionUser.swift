/// A validated user name that owns sessions: 1 to 128 characters from `A-Z a-z 0-9 . _ - @ +`.
///
/// The name becomes part of the Redis key of the user's session index (`bulwark:sessions:user:alice`), so
/// braces, colons, spaces and control characters are refused with an error that says what is allowed.
/// E-mail addresses and numeric or UUID user ids fit.
public struct SessionUser: Sendable, Hashable, CustomStringConvertible {
    /// The name.
    public let value: String

    /// Validates a user name.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        guard !value.isEmpty, value.utf8.count <= 128 else {
            throw SharedStateError(.invalidName, "a session user must be 1 to 128 characters, got \(value.utf8.count)")
        }
        guard value.utf8.allSatisfy(Self.isAllowed) else {
            throw SharedStateError(.invalidName, "session user '\(value)' may contain only A-Z, a-z, 0-9, '.', '_', '-', '@' and '+'")
        }
        self.value = value
    }

    /// The name.
    public var description: String { value }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "+"):
            true
        default:
            false
        }
    }
}
