import Foundation

/// A message that could not be processed, as kept in a dead-letter queue.
///
/// ``error`` is stored and shown to operators as given: the caller must keep secrets (tokens, passwords,
/// personal data) out of it. The same holds for the description of a retry handler's error, which replaces it
/// when a retried message fails again.
public struct DeadLetter: Sendable, Hashable {
    /// The stream entry id; a new one each time the message re-enters the queue.
    public var id: DeadLetterID
    /// The message, byte for byte (NUL bytes included).
    public var payload: [UInt8]
    /// Why the message failed last.
    public var error: String
    /// How many times processing the message has failed, at least 1.
    public var attempts: Int
    /// When processing first failed, by the clock of the instance where it failed (millisecond precision).
    public var firstFailure: Date
    /// When processing failed last, by the clock of the instance where it failed (millisecond precision).
    public var lastFailure: Date

    /// Creates a record.
    public init(id: DeadLetterID, payload: [UInt8], error: String, attempts: Int, firstFailure: Date, lastFailure: Date) {
        self.id = id
        self.payload = payload
        self.error = error
        self.attempts = attempts
        self.firstFailure = firstFailure
        self.lastFailure = lastFailure
    }
}
