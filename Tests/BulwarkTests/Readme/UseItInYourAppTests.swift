import Bulwark
import Foundation
import Logging
import RedisClient
import RedisTestSupport
import SharedState
import Synchronization
import Testing

/// The README's "Use it in your app": the code there is `UseItInYourApp.swift`, character for character, and it
/// does what the README says against a real redis-server.
@Suite(.serialized) struct UseItInYourAppTests {
    /// The package's root, from this file's path.
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func theReadmeShowsExactlyTheCompiledCode() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let code = try String(contentsOf: Self.root.appendingPathComponent("Tests/BulwarkTests/Readme/UseItInYourApp.swift"), encoding: .utf8)
        #expect(readme.contains("```swift\n" + code + "```\n"))
    }

    /// One call is the first attempt and 2 retries, all failing: the third failure in a row opens the shared
    /// breaker, so the second call is rejected at once without reaching the provider, and Redis holds the trip.
    @Test func theBreakerTripsAfterTheRetriesAndRejectsTheNextCall() async throws {
        let server = try await RedisServerProcess.start()
        await #expect(throws: YourServer.Finished.self) { try await start(redisURL: server.url, logger: Logger(label: "readme")) }
        let calls = outcomes.withLock { $0 }
        #expect(calls == ["provider failed", "breaker-open"])
        #expect(gateway.attempts == 3)
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        let state = try await SharedBreakerStore(client: client).read(try BreakerName("payments")).state
        #expect(state == .open)
        await server.shutdown()
    }
}
