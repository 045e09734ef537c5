/// What became of one retried dead letter.
public enum DeadLetterRetryOutcome: Sendable, Hashable {
    /// The handler succeeded; the entry is gone from the queue.
    case succeeded
    /// The handler failed; the message is back at the end of the queue with this attempt count.
    case failedAgain(attempts: Int)
    /// No entry with this id: it was never there, was deleted or purged, or another caller took it first.
    case notFound
}
