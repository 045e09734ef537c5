/// What an instance answered to a retry request (``DeadLetterStore/requestRetry(_:in:timeout:)``).
public struct DeadLetterRetryAnswer: Sendable, Hashable {
    /// What became of the letter.
    public var outcome: DeadLetterRetryOutcome
    /// The instance whose handler ran it (or, for ``DeadLetterRetryOutcome/notFound``, which looked for it).
    public var instance: String

    /// Creates an answer.
    public init(outcome: DeadLetterRetryOutcome, instance: String) {
        self.outcome = outcome
        self.instance = instance
    }
}

/// One instance's reply on a requester's reply channel: `<verb> <attempts> <instance>`, where the verb is
/// `succeeded`, `failed-again`, `not-found` or `no-handler` and attempts is 0 unless the letter failed again.
enum DeadLetterRetryReply: Sendable, Hashable {
    /// The instance ran (or looked for) the letter.
    case answered(DeadLetterRetryAnswer)
    /// The instance has no handler for the queue and left the letter alone.
    case noHandler(instance: String)

    /// Parses a reply; `nil` for anything malformed.
    init?(message: String) {
        let parts = message.split(separator: " ", maxSplits: 2)
        guard parts.count == 3, let attempts = Int(parts[1]) else { return nil }
        let instance = String(parts[2])
        switch parts[0] {
        case "succeeded": self = .answered(DeadLetterRetryAnswer(outcome: .succeeded, instance: instance))
        case "failed-again": self = .answered(DeadLetterRetryAnswer(outcome: .failedAgain(attempts: attempts), instance: instance))
        case "not-found": self = .answered(DeadLetterRetryAnswer(outcome: .notFound, instance: instance))
        case "no-handler": self = .noHandler(instance: instance)
        default: return nil
        }
    }

    /// The message to publish.
    var message: String {
        switch self {
        case .answered(let answer):
            switch answer.outcome {
            case .succeeded: "succeeded 0 \(answer.instance)"
            case .failedAgain(let attempts): "failed-again \(attempts) \(answer.instance)"
            case .notFound: "not-found 0 \(answer.instance)"
            }
        case .noHandler(let instance): "no-handler 0 \(instance)"
        }
    }
}
