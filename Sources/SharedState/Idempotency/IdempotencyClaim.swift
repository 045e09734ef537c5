/// What ``IdempotencyStore/claim(key:scope:fingerprint:)`` found, decided atomically in Redis.
public enum IdempotencyClaim: Sendable, Hashable {
    /// The key was free: this caller holds the lease, must run the request, then complete or abandon it.
    case acquired(IdempotencyLease)
    /// Another caller holds the lease; it expires in `leaseRemaining` unless completed or abandoned first.
    case inProgress(leaseRemaining: Duration)
    /// The request already ran: replay this result.
    case completed([UInt8])
    /// The key was used for a request with a different fingerprint.
    case mismatch
}
