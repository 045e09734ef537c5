/// A validated breaker name: 1 to 64 characters from `A-Z a-z 0-9 . _ -`.
///
/// Names become parts of Redis keys (`bulwark:{payments}:state`) and of URLs, so anything that could
/// break either — braces, colons, spaces, slashes — is refused with an error that says what is allowed.
public struct BreakerName: Sendable, Hashable, CustomStringConvertible {
    /// The name.
    public let value: String

    private static let rule = NameRule("breaker name", maximumBytes: 64, punctuation: "._-")

    /// Validates a name.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        try Self.rule.validate(value)
        self.value = value
    }

    /// The name.
    public var description: String { value }
}
