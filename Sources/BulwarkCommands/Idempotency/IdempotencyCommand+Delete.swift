import ArgumentParser
import SharedState

extension IdempotencyCommand {
    /// `bulwark idempotency delete KEY`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a key's record, running or done, so that the next request with the key runs again.",
            discussion: "Example: bulwark idempotency delete 8e0f2c1a-order-17 --scope tenant-1"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: IdempotencyTarget

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                let (key, scope) = try target.validated()
                guard try await context.idempotency().delete(key: key, scope: scope) else {
                    throw OperatorError(.notFound, "no idempotency record for key '\(key)' in scope '\(scope)'")
                }
                try IdempotencyDeletion(key: key.value, scope: scope.value, deleted: true).emit(json: context.json)
            }
        }
    }
}

/// What `bulwark idempotency delete` prints.
struct IdempotencyDeletion: CommandOutput {
    let key: String
    let scope: String
    /// Always true: a missing record is an error.
    let deleted: Bool

    var humanText: String { "Deleted the record of key '\(key)' in scope '\(scope)'; the next request with it runs again." }
}
