import Foundation
import Testing

@Suite struct CommandLineHelpTests {
    @Test func serveHelpShowsAnExample() async throws {
        let output = try await BulwarkExecutable.run(["serve", "--help"])
        #expect(output.status == 0)
        #expect(output.standardOutput.contains("Example: bulwark serve"))
    }

    static let operatorCommands = [
        "breaker", "breaker list", "breaker show", "breaker open", "breaker close", "breaker reset", "breaker disable",
        "cache", "cache get", "cache invalidate",
        "session", "session list", "session revoke",
        "idempotency", "idempotency show", "idempotency delete",
        "dlq", "dlq list", "dlq retry", "dlq purge",
        "instances",
    ]

    @Test(arguments: operatorCommands)
    func everyOperatorCommandsHelpShowsAnExampleOfItself(_ command: String) async throws {
        let words = command.split(separator: " ").map(String.init)
        let output = try await BulwarkExecutable.run(words + ["--help"])
        #expect(output.status == 0)
        #expect(output.standardOutput.contains("Example: bulwark \(command)"), "\(output.standardOutput)")
        let isGroup = !command.contains(" ") && command != "instances"
        #expect(isGroup || output.standardOutput.contains("--redis"), "every command takes --redis")
        #expect(isGroup || output.standardOutput.contains("--json"), "every command takes --json")
    }

    @Test func theRootHelpListsEveryOperatorCommand() async throws {
        let output = try await BulwarkExecutable.run(["--help"])
        for group in ["breaker", "cache", "session", "idempotency", "dlq", "instances"] {
            #expect(output.standardOutput.contains("  \(group) "), "\(group) is missing from bulwark --help")
        }
    }
}
