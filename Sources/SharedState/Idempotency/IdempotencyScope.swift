/// A validated scope — the tenant, user or API client that owns a set of idempotency keys: 1 to 128
/// characters from `A-Z a-z 0-9 . _ - : @`.
///
/// Two scopes never see each other's keys: the same `Idempotency-Key` sent by two tenants names two
/// unrelated requests. The scope becomes the Redis hash tag of the key (`bulwark:idem:{tenant-1}:…`), so
/// braces, spaces and control characters are refused.
public struct IdempotencyScope: Sendable, Hashable, CustomStringConvertible {
    /// The scope.
    public let value: String

    /// Validates a scope.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        guard !value.isEmpty, value.utf8.count <= 128 else {
            throw SharedStateError(.invalidName, "idempotency scope must be 1 to 128 characters, got \(value.utf8.count)")
        }
        guard value.utf8.allSatisfy(Self.isAllowed) else {
            throw SharedStateError(
                .invalidName,
                "idempotency scope '\(value)' may contain only A-Z, a-z, 0-9, '.', '_', '-', ':' and '@'"
            )
        }
        self.value = value
    }

    /// The scope.
    public var description: String { value }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "@"):
            true
        default:
            false
        }
    }
}
