import ArgumentParser

/// `bulwark dlq`: the dead-letter queues.
struct DeadLetterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List dead letters, retry one through a running instance's handler, purge old ones.",
        discussion: "Example: bulwark dlq retry orders 1732380000000-0",
        subcommands: [List.self, Retry.self, Purge.self]
    )
}
