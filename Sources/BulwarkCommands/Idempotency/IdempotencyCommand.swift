import ArgumentParser
import SharedState

/// `bulwark idempotency`: the records of idempotency keys.
struct IdempotencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idempotency",
        abstract: "Show or delete the record of an idempotency key, so that a stuck or wrong request can run again.",
        discussion: "Example: bulwark idempotency delete 8e0f2c1a-order-17 --scope tenant-1",
        subcommands: [Show.self, Delete.self]
    )

    /// The scope the service uses when a request names none (its `IdempotencyRoutes.defaultScope`).
    static let defaultScope = "default"
}

/// The key and scope every idempotency subcommand takes.
struct IdempotencyTarget: ParsableArguments {
    /// The key.
    @Argument(help: "The idempotency key, as the client sent it.")
    var key: String

    /// The scope.
    @Option(help: "The tenant, user or client that owns the key (default: default, the service's scope).")
    var scope: String = IdempotencyCommand.defaultScope

    /// The validated key and scope.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName`` for either malformed.
    func validated() throws(SharedStateError) -> (IdempotencyKey, IdempotencyScope) {
        (try IdempotencyKey(key), try IdempotencyScope(scope))
    }
}
