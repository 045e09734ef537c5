import ArgumentParser
import SharedState

extension DeadLetterCommand {
    /// `bulwark dlq retry QUEUE ID`.
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retry one letter through the handler a running instance registered for the queue.",
            discussion: """
                The handlers live in the service, not here: the request goes to every running instance, and one \
                with a handler for the queue runs the letter and answers. Exit 69 when none answers in time, 75 \
                when the handler failed again (the letter is back in the queue with one more attempt).
                Example: bulwark dlq retry orders 1732380000000-0 --timeout 10s
                """
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The queue.")
        var queue: String

        @Argument(help: "The letter's id, as `bulwark dlq list` shows it.")
        var id: String

        @Option(help: "How long to wait for an instance's answer: 30s, 2m … (default 5s).")
        var timeout = "5s"

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                let queue = try DeadLetterQueueName(self.queue)
                let id = try DeadLetterID(self.id)
                let timeout = try OperatorDuration(self.timeout, option: "--timeout")
                let store = try context.deadLetters()
                guard try await store.get(id, in: queue) != nil else {
                    throw OperatorError(.notFound, "no dead letter \(id) in queue '\(queue)'")
                }
                guard let answer = try await store.requestRetry(id, in: queue, timeout: timeout.duration) else {
                    throw OperatorError(
                        .unavailable,
                        "no running instance with a retry handler for queue '\(queue)' answered within \(timeout); the letter is unchanged"
                    )
                }
                let result = DeadLetterRetryResult(queue: queue.value, id: id.description, answer: answer)
                switch answer.outcome {
                case .succeeded:
                    try result.emit(json: context.json)
                case .failedAgain(let attempts):
                    try result.emit(json: context.json)
                    throw OperatorError(
                        .temporaryFailure,
                        "the handler on \(answer.instance) failed again (attempt \(attempts)); the letter is back in the queue"
                    )
                case .notFound:
                    throw OperatorError(
                        .notFound,
                        "dead letter \(id) left queue '\(queue)' before it could be retried (taken by another retry or purged)"
                    )
                }
            }
        }
    }
}

/// What `bulwark dlq retry` prints.
struct DeadLetterRetryResult: CommandOutput {
    let queue: String
    /// The letter retried.
    let id: String
    /// `succeeded` or `failed-again`.
    let outcome: String
    /// The attempts so far, when it failed again.
    let attempts: Int?
    /// The instance whose handler ran it.
    let instance: String

    init(queue: String, id: String, answer: DeadLetterRetryAnswer) {
        self.queue = queue
        self.id = id
        instance = answer.instance
        switch answer.outcome {
        case .succeeded:
            outcome = "succeeded"
            attempts = nil
        case .failedAgain(let count):
            outcome = "failed-again"
            attempts = count
        case .notFound:
            outcome = "not-found"
            attempts = nil
        }
    }

    var humanText: String {
        switch outcome {
        case "succeeded": "Retried \(id) on instance \(instance): the handler succeeded and the letter left '\(queue)'."
        default: "Retried \(id) on instance \(instance): the handler failed again (attempt \(attempts ?? 0)); the letter is back in '\(queue)'."
        }
    }
}
