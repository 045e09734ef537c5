import RedisClient
import RedisTestSupport
import SharedState

/// Starts a redis-server and `count` dead-letter stores, each over a client of its own (they stand for separate
/// instances), and always stops the server.
func withDeadLetterStores(
    _ count: Int = 1,
    configuration: DeadLetterConfiguration = DeadLetterConfiguration(),
    _ body: (RedisServerProcess, [DeadLetterStore]) async throws -> Void
) async throws {
    let server = try await RedisServerProcess.start()
    let clients = try (0..<count).map { _ in try RedisClient(url: server.url) }
    do {
        try await body(server, clients.map { try DeadLetterStore(client: $0, configuration: configuration) })
    } catch {
        for client in clients { client.shutdown() }
        await server.shutdown()
        throw error
    }
    for client in clients { client.shutdown() }
    await server.shutdown()
}

/// The payloads of a page, decoded as UTF-8.
func texts(_ page: DeadLetterPage) -> [String] {
    page.letters.map { String(decoding: $0.payload, as: UTF8.self) }
}

/// Thrown inside `eventually` while the condition waited for does not hold yet; `#require` would record an issue.
struct NotYet: Error {}

/// A handler failure that says which message failed.
struct HandlerFailure: Error, CustomStringConvertible {
    let text: String
    var description: String { "handler refused \(text)" }
}
