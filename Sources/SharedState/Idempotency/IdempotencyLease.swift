/// Proof that this caller holds a key's in-progress lease and may store its result.
///
/// Pass it to ``IdempotencyStore/complete(_:result:)`` or ``IdempotencyStore/abandon(_:)``. The token is
/// 128 random bits: only the caller that claimed the key knows it, so nobody else can complete or abandon
/// the lease, and a new lease after expiry has a different token.
public struct IdempotencyLease: Sendable, Hashable {
    /// The key leased.
    public let key: IdempotencyKey
    /// The scope of the key.
    public let scope: IdempotencyScope
    /// The fingerprint of the request that holds the lease.
    public let fingerprint: IdempotencyFingerprint
    /// The owner token stored with the lease.
    public let token: String

    init(key: IdempotencyKey, scope: IdempotencyScope, fingerprint: IdempotencyFingerprint, token: String) {
        self.key = key
        self.scope = scope
        self.fingerprint = fingerprint
        self.token = token
    }
}
