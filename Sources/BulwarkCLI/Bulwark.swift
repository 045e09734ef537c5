import ArgumentParser
import BulwarkCommands

/// `bulwark`: runs the service (`serve`) and the operators' commands, which talk to Redis directly.
@main
struct Bulwark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulwark",
        abstract: "Shared circuit breakers, cache, sessions, idempotency keys and dead letters in Redis.",
        subcommands: [
            ServeCommand.self
        ] + OperatorCommands.all
    )
}
