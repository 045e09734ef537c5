/// A validated user name that owns sessions: 1 to 128 characters from `A-Z a-z 0-9 . _ - @ +`.
///
/// The name becomes part of the Redis key of the user's session index (`bulwark:sessions:user:alice`), so
/// braces, colons, spaces and control characters are refused with an error that says what is allowed.
/// E-mail addresses and numeric or UUID user ids fit.
public struct SessionUser: Sendable, Hashable, CustomStringConvertible {
    /// The name.
    public let value: String

    private static let rule = NameRule("session user", maximumBytes: 128, punctuation: "._-@+")

    /// Validates a user name.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        try Self.rule.validate(value)
        self.value = value
    }

    /// The name.
    public var description: String { value }
}
