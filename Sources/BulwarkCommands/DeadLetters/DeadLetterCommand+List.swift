import ArgumentParser
import Foundation
import OperatorViews
import SharedState

extension DeadLetterCommand {
    /// `bulwark dlq list QUEUE`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A page of a queue's letters, oldest first, and how many the queue holds.",
            discussion: "Example: bulwark dlq list orders --limit 20"
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The queue.")
        var queue: String

        @Option(help: "The most letters to show, 1 to 1000.")
        var limit = 100

        @Option(help: "Show the letters after this id (the 'next' of the previous page).")
        var after: String?

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                let queue = try DeadLetterQueueName(self.queue)
                let after = try self.after.map { text throws(SharedStateError) in try DeadLetterID(text) }
                guard (1...1_000).contains(limit) else { throw OperatorError(.usage, "--limit must be 1 to 1000, got \(limit)") }
                let store = try context.deadLetters()
                let page = try await store.list(queue, after: after, limit: limit)
                let total = try await store.count(queue)
                try DeadLetterPageView(
                    queue: queue.value,
                    total: total,
                    letters: page.letters.map(DeadLetterView.init),
                    next: page.nextCursor?.description
                )
                .emit(json: context.json)
            }
        }
    }
}

/// `bulwark dlq list`'s output; the same fields as the admin API's answer.
struct DeadLetterPageView: CommandOutput {
    let queue: String
    /// Letters in the queue.
    let total: Int
    let letters: [DeadLetterView]
    /// The id to pass as `--after` for the next page; absent on the last page.
    let next: String?

    var humanText: String {
        guard !letters.isEmpty else { return "Queue '\(queue)' holds \(total) letters; none on this page." }
        let table = TextTable(
            headers: ["ID", "ATTEMPTS", "FIRST FAILURE", "LAST FAILURE", "ERROR", "PAYLOAD"],
            rows: letters.map { letter in
                [
                    letter.id, String(letter.attempts), HumanFormat.time(letter.firstFailure), HumanFormat.time(letter.lastFailure),
                    HumanFormat.abbreviated(letter.error, to: 60), HumanFormat.abbreviated(letter.payload, to: 40),
                ]
            }
        )
        let more = next.map { "\nMore: bulwark dlq list \(queue) --after \($0)" } ?? ""
        return table.rendered + "\n\(letters.count) of \(total) letters in '\(queue)'." + more
    }
}
