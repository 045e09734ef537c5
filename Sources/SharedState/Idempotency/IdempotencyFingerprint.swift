/// What identifies a request's payload, so that a key reused for a different request is caught: usually the
/// hex SHA-256 of the method, path and body.
///
/// The store compares fingerprints byte for byte and never computes them, so SharedState needs no
/// cryptography library. Hash with swift-crypto and pass the digest:
///
/// ```swift
/// import Crypto
/// let fingerprint = IdempotencyFingerprint(digest: SHA256.hash(data: Array(method.utf8) + Array(path.utf8) + body))
/// ```
public struct IdempotencyFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The fingerprint as text.
    public let value: String

    /// Uses a fingerprint the caller computed: 1 to 128 characters of printable ASCII without spaces.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        guard !value.isEmpty, value.utf8.count <= 128, value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw SharedStateError(.invalidName, "idempotency fingerprint must be 1 to 128 printable ASCII characters without spaces")
        }
        self.value = value
    }

    /// Hex-encodes a digest, such as a swift-crypto `SHA256Digest` (up to 64 bytes).
    /// - Precondition: The digest has 1 to 64 bytes.
    public init(digest: some Sequence<UInt8>) {
        let hex = digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
        precondition(!hex.isEmpty && hex.utf8.count <= 128, "a fingerprint digest must have 1 to 64 bytes")
        self.value = hex
    }

    /// The fingerprint.
    public var description: String { value }
}
