/// What Redis holds for one idempotency key, for operators (`bulwark idempotency show`).
public struct IdempotencyRecord: Sendable, Hashable {
    /// Where the key is in its life.
    public enum State: String, Sendable, Hashable {
        /// A caller holds the lease and is running the request.
        case inProgress = "running"
        /// The request ran; its result is kept for replay.
        case completed = "done"
    }

    /// Where the key is in its life.
    public var state: State
    /// The fingerprint of the request that claimed the key.
    public var fingerprint: String
    /// When the key was claimed, in milliseconds since 1970 by Redis's clock.
    public var claimedAt: Int64
    /// When the result was stored, in milliseconds since 1970 by Redis's clock; `nil` while in progress.
    public var completedAt: Int64?
    /// How long until Redis drops the record: the rest of the lease, or of the retention.
    public var expiresIn: Duration
    /// The stored result; `nil` while in progress.
    public var result: [UInt8]?

    /// Creates a record.
    public init(state: State, fingerprint: String, claimedAt: Int64, completedAt: Int64?, expiresIn: Duration, result: [UInt8]?) {
        self.state = state
        self.fingerprint = fingerprint
        self.claimedAt = claimedAt
        self.completedAt = completedAt
        self.expiresIn = expiresIn
        self.result = result
    }
}
