import RedisClient
import RedisTestSupport
import Testing

@testable import SharedState

/// Expiry events come from the stores' own sweeps, exactly once for the fleet.
@Suite struct SessionSweepTests {
    @Test func concurrentSweepsReportEachExpiryOnce() async throws {
        let configuration = SessionConfiguration(idleTimeout: .seconds(1), sweepBatchSize: 7)
        try await withSessionStores(2, configuration) { _, stores in
            let users = [try SessionUser("alice"), try SessionUser("bob")]
            var expected: Set<SessionEvent> = []
            for index in 0..<40 {
                let session = try await stores[index % 2].create(user: users[index % 2])
                expected.insert(.expired(session.id, user: session.user))
            }
            // Touched in time, so alive when the others have expired: never reported.
            let survivor = try await stores[0].create(user: users[0])
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await stores[0].touch(survivor.id) != nil)
            try await Task.sleep(for: .milliseconds(600))

            async let first = stores[0].sweep()
            async let second = stores[1].sweep()
            let claimed = try await [first, second]
            #expect(claimed.reduce(0, +) == 40)
            #expect(try await stores[0].sweep() == 0)
            #expect(try await stores[1].sweep() == 0)

            let expired = (await drainEvents(stores[0]) + drainEvents(stores[1])).filter {
                if case .expired = $0 { true } else { false }
            }
            #expect(expired.count == 40)
            #expect(Set(expired) == expected)
            #expect(try await stores[0].sessions(user: users[1]).isEmpty)
            #expect(try await stores[0].client.send("ZCARD", "bulwark:sessions:user:bob").int == 0)
            #expect(try await stores[0].client.send("ZCARD", "bulwark:sessions:expiry").int == 1)
        }
    }

    @Test func runSweepsInTheBackground() async throws {
        let configuration = SessionConfiguration(idleTimeout: .milliseconds(150), sweepInterval: .milliseconds(50))
        try await withSessionStores(1, configuration) { _, stores in
            let store = stores[0]
            let session = try await store.create(user: try SessionUser("carol"))
            let watcher = Task { () -> SessionID? in
                for await event in store.events {
                    if case .expired(let id, _) = event { return id }
                }
                return nil
            }
            let runner = Task { try await store.run() }
            let deadline = Task {
                try await Task.sleep(for: .seconds(5))
                watcher.cancel()
            }
            let expired = await watcher.value
            deadline.cancel()
            runner.cancel()
            try await runner.value
            #expect(expired == session.id)
        }
    }

    @Test func runOutlivesARedisOutage() async throws {
        let configuration = SessionConfiguration(idleTimeout: .milliseconds(150), sweepInterval: .milliseconds(50))
        try await withSessionStores(1, configuration) { server, stores in
            let store = stores[0]
            try await server.stop()
            let runner = Task { try await store.run() }
            try await Task.sleep(for: .milliseconds(300))  // sweeps fail while Redis is away
            try await server.restart()
            let session = try await eventually { try await store.create(user: try SessionUser("dave")) }
            let watcher = Task { () -> SessionID? in
                for await event in store.events {
                    if case .expired(let id, _) = event { return id }
                }
                return nil
            }
            let deadline = Task {
                try await Task.sleep(for: .seconds(5))
                watcher.cancel()
            }
            let expired = await watcher.value
            deadline.cancel()
            runner.cancel()
            try await runner.value
            #expect(expired == session.id)
        }
    }

    @Test func revokedSessionsAreNotReportedAsExpired() async throws {
        let configuration = SessionConfiguration(idleTimeout: .seconds(1))
        try await withSessionStores(1, configuration) { _, stores in
            let store = stores[0]
            let alice = try SessionUser("alice")
            let revoked = try await store.create(user: alice)
            let expiring = try await store.create(user: alice)
            #expect(try await store.revoke(revoked.id))
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(try await store.sweep() == 1)
            let events = await drainEvents(store)
            #expect(events.last == .expired(expiring.id, user: alice))
            #expect(!events.contains(.expired(revoked.id, user: alice)))
        }
    }
}
