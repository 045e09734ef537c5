import Crypto
import Hummingbird
import NIOCore
import SharedState

/// What identifies a guarded request: the hex SHA-256 of its method, its path with the query, and its body.
enum RequestFingerprint {
    /// The fingerprint of `request`, whose body is `body`.
    static func of(_ request: Request, body: ByteBuffer) -> IdempotencyFingerprint {
        var hasher = SHA256()
        hasher.update(data: Array(request.method.rawValue.utf8))
        hasher.update(data: [0])
        hasher.update(data: Array(request.uri.description.utf8))
        hasher.update(data: [0])
        body.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        return IdempotencyFingerprint(digest: hasher.finalize())
    }
}
