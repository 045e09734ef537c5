/// A validated scope — the tenant, user or API client that owns a set of idempotency keys: 1 to 128
/// characters from `A-Z a-z 0-9 . _ - : @`.
///
/// Two scopes never see each other's keys: the same `Idempotency-Key` sent by two tenants names two
/// unrelated requests. The scope becomes the Redis hash tag of the key (`bulwark:idem:{tenant-1}:…`), so
/// braces, spaces and control characters are refused.
public struct IdempotencyScope: Sendable, Hashable, CustomStringConvertible {
    /// The scope.
    public let value: String

    private static let rule = NameRule("idempotency scope", maximumBytes: 128, punctuation: "._-:@")

    /// Validates a scope.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        try Self.rule.validate(value)
        self.value = value
    }

    /// The scope.
    public var description: String { value }
}
