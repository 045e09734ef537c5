import ArgumentParser

/// `bulwark breaker`: the shared circuit breakers of the fleet.
struct BreakerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "breaker",
        abstract: "List, inspect and force the shared circuit breakers; every instance obeys within milliseconds.",
        discussion: "Example: bulwark breaker open demo-payments",
        subcommands: [List.self, Show.self, Open.self, Close.self, Reset.self, Disable.self]
    )
}
