import ArgumentParser
import Foundation
import OperatorViews
import SharedState

extension IdempotencyCommand {
    /// `bulwark idempotency show KEY`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a key's record: running or done, fingerprint, times, and the size of the stored result.",
            discussion: """
                The stored result is shown by its size only: it is the response some caller received.
                Example: bulwark idempotency show 8e0f2c1a-order-17 --scope tenant-1
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: IdempotencyTarget

        func run() async throws {
            try await OperatorRun.perform(options) { context in
                let (key, scope) = try target.validated()
                guard let record = try await context.idempotency().show(key: key, scope: scope) else {
                    throw OperatorError(.notFound, "no idempotency record for key '\(key)' in scope '\(scope)'")
                }
                try IdempotencyRecordView(key: key, scope: scope, record: record).emit(json: context.json)
            }
        }
    }
}

/// `bulwark idempotency show`'s output: the admin API's fields.
extension IdempotencyRecordView: CommandOutput {
    var humanText: String {
        var lines = [
            ("key", key), ("scope", scope), ("state", state), ("fingerprint", fingerprint),
            ("claimed at", HumanFormat.time(claimedAt)),
        ]
        if let completedAt { lines.append(("completed at", HumanFormat.time(completedAt))) }
        lines.append(("expires in", HumanFormat.duration(.milliseconds(Int64(expiresInSeconds * 1_000)))))
        if let resultSize { lines.append(("result", "\(resultSize) bytes")) }
        return lines.map { $0.0 + String(repeating: " ", count: 14 - $0.0.count) + $0.1 }.joined(separator: "\n")
    }
}
