import Foundation
import RedisTestSupport
import SharedState
import Testing

/// The `script` program of util-linux, which runs a command on a pseudo-terminal.
private let scriptProgram = "/usr/bin/script"

/// The confirmation question on a real terminal: `script` runs `bulwark` on a pseudo-terminal and types the answer.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: scriptProgram)))
struct ConfirmationPromptTests {
    @Test func onATerminalNoChangesNothingAndYesGoesAhead() async throws {
        try await withCLIHarness(prefix: "cli-prompt") { harness in
            let store = try SessionStore(client: harness.client, prefix: harness.prefix)
            let user = try SessionUser("dave")
            for _ in 0..<3 { _ = try await store.create(user: user) }
            let command = "session revoke --user dave --redis \(harness.redis.url) --key-prefix \(harness.prefix)"

            let declined = try await Self.onTerminal(command, typing: "n\n")
            #expect(declined.status == 1)
            #expect(declined.text.contains("About to revoke 3 sessions of user 'dave'. Continue? [y/N]"))
            #expect(declined.text.contains("bulwark: error: not confirmed; nothing changed"))
            #expect(try await store.sessions(user: user).count == 3)

            let confirmed = try await Self.onTerminal(command, typing: "y\n")
            #expect(confirmed.status == 0)
            #expect(confirmed.text.contains("Revoked 3 sessions of user 'dave'"))
            #expect(try await store.sessions(user: user).isEmpty)
        }
    }

    /// Runs `bulwark COMMAND` on a pseudo-terminal whose keyboard types `input`; answers its exit status and
    /// everything the terminal showed.
    static func onTerminal(_ command: String, typing input: String) async throws -> (status: Int32, text: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        let process = Process()
                        process.executableURL = URL(fileURLWithPath: scriptProgram)
                        process.arguments = ["-qec", BulwarkExecutable.url.path + " " + command, "/dev/null"]
                        let keyboard = Pipe()
                        let screen = Pipe()
                        process.standardInput = keyboard
                        process.standardOutput = screen
                        process.standardError = screen
                        try process.run()
                        keyboard.fileHandleForWriting.write(Data(input.utf8))
                        let text = screen.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
                    }
                )
            }.start()
        }
    }
}
