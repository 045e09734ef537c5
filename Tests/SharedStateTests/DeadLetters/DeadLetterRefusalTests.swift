import RedisClient
import RedisTestSupport
import SharedState
import Testing

/// What a Redis error means for the dead-letter buffer follows `RedisFailureKind`: only "Redis is away" buffers
/// a letter; a Redis that answers but refuses writes (`OOM`, `NOPERM`) is reported as what it is, and never
/// costs the letters already buffered.
@Suite struct DeadLetterRefusalTests {
    /// `NOREPLICAS` is Redis saying "not now" (too few replicas to write): a letter waits in the buffer as in an
    /// outage and goes in once Redis writes again.
    @Test func aTransientRefusalBuffersTheLetter() async throws {
        try await withDeadLetterStores { server, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("noreplicas")
            try await store.client.send("CONFIG", "SET", "min-replicas-to-write", "1")
            let id = try await store.add(to: queue, payload: Array("waits".utf8), error: "e")
            #expect(id == nil)
            #expect(store.pendingCount == 1)

            try await store.client.send("CONFIG", "SET", "min-replicas-to-write", "0")
            #expect(try await store.flushPending() == 1)
            #expect(texts(try await store.list(queue)) == ["waits"])
            #expect(store.droppedCount == 0)
        }
    }

    /// `OOM` is not an outage: the caller hears it at once (not a `nil` id for a letter that waits for an
    /// outage to end), with the kind in the underlying error, and nothing is buffered.
    @Test func outOfMemoryIsReportedNotBuffered() async throws {
        try await withDeadLetterStores { server, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("oom")
            try await store.client.send("CONFIG", "SET", "maxmemory-policy", "noeviction")
            try await store.client.send("CONFIG", "SET", "maxmemory", "1")
            let error = await #expect(throws: SharedStateError.self) { try await store.add(to: queue, payload: [1], error: "e") }
            #expect(error?.code == .storeUnavailable)
            #expect((error?.underlying as? RedisClientError)?.failureKind == .outOfMemory)
            #expect(error?.message.contains("refused by Redis (outOfMemory)") == true)
            #expect(store.pendingCount == 0)
        }
    }

    /// Letters buffered during an outage meet a Redis that is back but out of memory: the flush stops and keeps
    /// every one of them (none is the letter's fault), and they all go in once Redis has room again.
    @Test func bufferedLettersSurviveARedisThatRefusesWrites() async throws {
        let options = RedisServerOptions(extraArguments: ["--maxmemory-policy", "noeviction"])
        let server = try await RedisServerProcess.start(options)
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        let store = try DeadLetterStore(client: client)
        let queue = try DeadLetterQueueName("refused-after-outage")
        try await server.stop()
        for index in 0..<3 { try await store.add(to: queue, payload: Array("down-\(index)".utf8), error: "e") }
        #expect(store.pendingCount == 3)

        try await server.restart()
        _ = try await eventually(attempts: 200) { try await client.send("CONFIG", "SET", "maxmemory", "1") }
        let error = await #expect(throws: SharedStateError.self) { try await store.flushPending() }
        #expect((error?.underlying as? RedisClientError)?.failureKind == .outOfMemory)
        #expect(error?.message.hasPrefix("Redis refuses writes (outOfMemory)") == true)
        #expect(store.pendingCount == 3)
        #expect(store.droppedCount == 0)

        try await client.send("CONFIG", "SET", "maxmemory", "0")
        #expect(try await store.flushPending() == 3)
        #expect(texts(try await store.list(queue)) == ["down-0", "down-1", "down-2"])
        #expect(store.droppedCount == 0)
        await server.shutdown()
    }

    /// An ACL user that may not `XADD` (`NOPERM`) is a misconfiguration: `add` says so, and buffered letters
    /// stay buffered for when the operator has fixed it.
    @Test func aPermissionRefusalKeepsTheBuffer() async throws {
        try await withDeadLetterStores { server, stores in
            let admin = stores[0].client
            let queue = try DeadLetterQueueName("noperm")
            try await admin.send("ACL", "SETUSER", "dlq", "on", ">dlq-password", "~*", "&*", "+@all")
            let client = try RedisClient(url: "redis://dlq:dlq-password@127.0.0.1:\(server.port)")
            defer { client.shutdown() }
            let store = try DeadLetterStore(client: client)
            try await server.stop()
            try await store.add(to: queue, payload: Array("buffered".utf8), error: "e")
            try await server.restart()
            _ = try await eventually(attempts: 200) {
                try await admin.send("ACL", "SETUSER", "dlq", "on", ">dlq-password", "~*", "&*", "+@all", "-xadd")
            }
            // The store's own connection is back (it may have been refused while the user did not exist yet).
            _ = try await eventually(attempts: 200) { try await client.send("PING") }

            let flushError = await #expect(throws: SharedStateError.self) { try await store.flushPending() }
            #expect((flushError?.underlying as? RedisClientError)?.failureKind == .permissionDenied)
            #expect(store.pendingCount == 1)
            #expect(store.droppedCount == 0)

            try await admin.send("ACL", "SETUSER", "dlq", "+xadd")
            #expect(try await store.flushPending() == 1)
            let fresh = try await store.add(to: queue, payload: Array("live".utf8), error: "e")
            #expect(fresh != nil)
            #expect(texts(try await store.list(queue)) == ["buffered", "live"])
        }
    }
}
