import ArgumentParser
import SharedState

extension DeadLetterCommand {
    /// `bulwark dlq purge QUEUE --older-than DURATION`.
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete the letters that entered a queue longer ago than a duration, by Redis's clock.",
            discussion: """
                Counts the letters first and asks before it deletes them; --yes skips the question, and without a \
                terminal it is required.
                Example: bulwark dlq purge orders --older-than 7d --yes
                """
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The queue.")
        var queue: String

        @Option(help: "Delete letters older than this: 30s, 15m, 2h or 7d.")
        var olderThan: String

        @Flag(help: "Do not ask for confirmation (required without a terminal).")
        var yes = false

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                let queue = try DeadLetterQueueName(self.queue)
                let age = try OperatorDuration(olderThan, option: "--older-than")
                let store = try context.deadLetters()
                let count = try await store.count(queue, olderThan: age.duration)
                var purged = 0
                if count > 0 {
                    try await Confirmation.require("purge \(count) dead letters older than \(age) from queue '\(queue)'", assumeYes: yes)
                    purged = try await store.purge(queue, olderThan: age.duration)
                }
                try DeadLetterPurge(queue: queue.value, olderThanSeconds: age.duration.components.seconds, purged: purged).emit(json: context.json)
            }
        }
    }
}

/// What `bulwark dlq purge` prints.
struct DeadLetterPurge: CommandOutput {
    let queue: String
    /// The age bound, in seconds.
    let olderThanSeconds: Int64
    /// How many letters were deleted.
    let purged: Int

    var humanText: String { "Purged \(purged) dead letters older than \(HumanFormat.duration(.seconds(olderThanSeconds))) from '\(queue)'." }
}
