import Bulwark
import Hummingbird
import HummingbirdTesting
import Logging
import RedisTestSupport
import ServiceLifecycle
import Testing

/// Two instances of an app on one real Redis, each with its own `Bulwark` (and so its own Redis client),
/// both serving on free loopback ports.
struct Fleet {
    /// The Redis both instances share.
    let server: RedisServerProcess
    /// Instance A's and B's Bulwark.
    let bulwarks: [Bulwark]

    /// Starts Redis and two Bulwarks, builds each instance's router with `router`, and runs `body` with a
    /// client of each instance; stops everything afterwards, whatever `body` did.
    static func run(
        logger: Logger = Logger(label: "test"),
        router: @Sendable (Bulwark, _ instance: String) throws -> Router<TestContext>,
        _ body: @Sendable (Fleet, _ a: any TestClientProtocol, _ b: any TestClientProtocol) async throws -> Void
    ) async throws {
        let server = try await RedisServerProcess.start()
        let bulwarks = try ["a", "b"].map {
            try Bulwark(configuration: BulwarkConfiguration(redisURL: server.url, instanceID: "test-\($0)"), logger: logger)
        }
        let group = ServiceGroup(services: bulwarks, logger: logger)
        let running = Task { try await group.run() }
        let fleet = Fleet(server: server, bulwarks: bulwarks)
        let apps = try zip(bulwarks, ["a", "b"]).map { bulwark, name in
            Application(router: try router(bulwark, name), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        }
        do {
            try await apps[0].test(.live) { a in
                try await apps[1].test(.live) { b in
                    try await body(fleet, a, b)
                }
            }
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            await server.shutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
        await server.shutdown()
    }
}
