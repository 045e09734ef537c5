import RedisClient
import RedisTestSupport

@testable import SharedState

/// Starts a redis-server and `count` session stores, each over a client of its own (separate instances),
/// and always stops the server.
func withSessionStores(
    _ count: Int,
    _ configuration: SessionConfiguration = .init(),
    _ body: (RedisServerProcess, [SessionStore]) async throws -> Void
) async throws {
    let server = try await RedisServerProcess.start()
    let clients = try (0..<count).map { _ in try RedisClient(url: server.url) }
    do {
        let stores = try clients.map { try SessionStore(client: $0, configuration: configuration) }
        try await body(server, stores)
    } catch {
        for client in clients { client.shutdown() }
        await server.shutdown()
        throw error
    }
    for client in clients { client.shutdown() }
    await server.shutdown()
}

/// Every event a store has reported so far; ends the store's stream.
func drainEvents(_ store: SessionStore) async -> [SessionEvent] {
    store.continuation.finish()
    var events: [SessionEvent] = []
    for await event in store.events { events.append(event) }
    return events
}

/// Whether Redis holds the key.
func exists(_ key: String, _ store: SessionStore) async throws -> Bool {
    try await store.client.send("EXISTS", key).int == 1
}
