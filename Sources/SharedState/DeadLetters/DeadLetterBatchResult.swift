/// The counts of one ``DeadLetterStore/retryBatch(_:limit:handler:)``.
public struct DeadLetterBatchResult: Sendable, Hashable {
    /// Entries whose handler succeeded and that left the queue.
    public var succeeded: Int
    /// Entries whose handler failed and that went back to the queue with one more attempt.
    public var failedAgain: Int
    /// Entries listed for the batch that another caller took (or deleted) before this one could.
    public var skipped: Int

    /// Creates a result.
    public init(succeeded: Int = 0, failedAgain: Int = 0, skipped: Int = 0) {
        self.succeeded = succeeded
        self.failedAgain = failedAgain
        self.skipped = skipped
    }
}
