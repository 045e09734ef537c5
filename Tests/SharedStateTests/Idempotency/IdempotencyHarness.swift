import RedisClient
import RedisTestSupport
import SharedState

/// Starts a redis-server and `count` idempotency stores, each over a client of its own (separate
/// instances), and always stops the server.
func withIdempotencyStores(
    _ count: Int,
    configuration: IdempotencyConfiguration = IdempotencyConfiguration(),
    _ body: (RedisServerProcess, [IdempotencyStore]) async throws -> Void
) async throws {
    let server = try await RedisServerProcess.start()
    let clients = try (0..<count).map { _ in try RedisClient(url: server.url) }
    do {
        try await body(server, try clients.map { try IdempotencyStore(client: $0, configuration: configuration) })
    } catch {
        for client in clients { client.shutdown() }
        await server.shutdown()
        throw error
    }
    for client in clients { client.shutdown() }
    await server.shutdown()
}

/// Shorthands for the tests.
extension IdempotencyStore {
    func claim(_ key: String, scope: String = "tenant-1", fingerprint: String = "fp-1") async throws -> IdempotencyClaim {
        try await claim(key: IdempotencyKey(key), scope: IdempotencyScope(scope), fingerprint: IdempotencyFingerprint(fingerprint))
    }

    func execute(
        _ key: String,
        scope: String = "tenant-1",
        fingerprint: String = "fp-1",
        wait: Bool = false,
        operation: () async throws -> [UInt8]
    ) async throws -> IdempotencyOutcome {
        try await execute(
            key: IdempotencyKey(key),
            scope: IdempotencyScope(scope),
            fingerprint: IdempotencyFingerprint(fingerprint),
            wait: wait,
            operation: operation
        )
    }
}

extension IdempotencyClaim {
    /// The lease, when acquired.
    var lease: IdempotencyLease? {
        if case .acquired(let lease) = self { return lease }
        return nil
    }

    /// Whether another caller holds the lease.
    var isInProgress: Bool {
        if case .inProgress = self { return true }
        return false
    }
}
