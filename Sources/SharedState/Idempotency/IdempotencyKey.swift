/// A validated idempotency key, as a client sends it in the `Idempotency-Key` header: 1 to 255 bytes of
/// printable ASCII (space to `~`).
///
/// The IETF Idempotency-Key draft makes the key a string chosen by the client, typically a UUID. Anything
/// longer or containing control or non-ASCII bytes is refused before Redis is touched, so a malformed key
/// never writes anything; answer such a request with ``IdempotencyOutcome/invalidKeyStatus`` (400).
public struct IdempotencyKey: Sendable, Hashable, CustomStringConvertible {
    /// The key.
    public let value: String

    /// Validates a key.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        guard !value.isEmpty, value.utf8.count <= 255 else {
            throw SharedStateError(.invalidName, "idempotency key must be 1 to 255 bytes, got \(value.utf8.count)")
        }
        guard value.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw SharedStateError(.invalidName, "idempotency key may contain only printable ASCII characters")
        }
        self.value = value
    }

    /// The key.
    public var description: String { value }
}
