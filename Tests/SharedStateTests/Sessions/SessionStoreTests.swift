import RedisClient
import RedisTestSupport
import Testing

@testable import SharedState

/// Reads, sliding and absolute expiry, attribute writes and failure, against a real redis-server.
@Suite struct SessionStoreTests {
    private let alice: SessionUser
    init() throws { alice = try SessionUser("alice") }

    @Test func createThenTouchReturnsTheSameSession() async throws {
        try await withSessionStores(2) { _, stores in
            let created = try await stores[0].create(user: alice, attributes: ["role": "admin", "theme": "dark"])
            #expect(created.user == alice)
            #expect(created.attributes == ["role": "admin", "theme": "dark"])
            #expect(created.absoluteExpiryMilliseconds - created.createdAtMilliseconds == 12 * 60 * 60 * 1_000)
            #expect(created.expiresAtMilliseconds - created.createdAtMilliseconds == 30 * 60 * 1_000)

            let read = try #require(try await stores[1].touch(created.id))
            #expect(read.id == created.id)
            #expect(read.user == alice)
            #expect(read.attributes == created.attributes)
            #expect(read.createdAtMilliseconds == created.createdAtMilliseconds)
            #expect(read.absoluteExpiryMilliseconds == created.absoluteExpiryMilliseconds)
            #expect(read.expiresAtMilliseconds >= created.expiresAtMilliseconds)
            let key = "bulwark:session:\(created.id.value)"
            #expect(try await stores[1].client.send("PEXPIRETIME", key + ":idle").int.map(Int64.init) == read.expiresAtMilliseconds)
            #expect(try await stores[1].client.send("PEXPIRETIME", key).int.map(Int64.init) == read.absoluteExpiryMilliseconds)
            // A touch leaves the expiry index alone: it holds the earliest time the session can have expired,
            // which the sweep moves forward when it finds the session alive.
            let score = try await stores[1].client.send("ZSCORE", "bulwark:sessions:expiry", "\(created.id.value):alice").int.map(Int64.init)
            #expect(score == created.expiresAtMilliseconds)
            #expect(try await stores[1].touch(SessionID.random()) == nil)
        }
    }

    @Test func touchIsOneRoundTripAndNeverCreatesASession() async throws {
        try await withSessionStores(1) { _, stores in
            let store = stores[0]
            let session = try await store.create(user: alice)
            let before = store.client.statistics
            #expect(try await store.touch(session.id) != nil)
            let after = store.client.statistics
            #expect(after.requests - before.requests == 1)
            #expect(after.commands - before.commands == 3)

            let missing = SessionID.random()
            #expect(try await store.touch(missing) == nil)
            #expect(try await !exists("bulwark:session:\(missing.value):idle", store))
            #expect(try await !exists("bulwark:session:\(missing.value)", store))
        }
    }

    @Test func touchesSlideTheIdleExpiry() async throws {
        let configuration = SessionConfiguration(idleTimeout: .seconds(1))
        try await withSessionStores(2, configuration) { _, stores in
            let session = try await stores[0].create(user: alice)
            // Touched every 250 ms from alternating instances, alive at 1.5 s: past the idle timeout.
            var deadline = session.expiresAtMilliseconds
            for round in 0..<6 {
                try await Task.sleep(for: .milliseconds(250))
                let touched = try await stores[round % 2].touch(session.id)
                #expect(touched != nil, "round \(round)")
                #expect(touched?.expiresAtMilliseconds ?? 0 > deadline, "round \(round)")
                deadline = touched?.expiresAtMilliseconds ?? deadline
            }
            try await Task.sleep(for: .milliseconds(1_300))
            #expect(try await stores[0].touch(session.id) == nil)
            #expect(try await !exists("bulwark:session:\(session.id.value):idle", stores[0]))
            // The hash outlives the idle deadline until the sweep claims the expiry and deletes it.
            #expect(try await stores[1].sweep() == 1)
            #expect(try await !exists("bulwark:session:\(session.id.value)", stores[0]))
        }
    }

    @Test func absoluteLifetimeWinsOverTouches() async throws {
        let configuration = SessionConfiguration(idleTimeout: .milliseconds(1_500), absoluteLifetime: .seconds(3))
        try await withSessionStores(1, configuration) { _, stores in
            let store = stores[0]
            let session = try await store.create(user: alice)
            let clock = ContinuousClock()
            let start = clock.now
            var endedAfter: Duration?
            while clock.now - start < .milliseconds(4_500) {
                try await Task.sleep(for: .milliseconds(150))
                let elapsed = clock.now - start
                if let touched = try await store.touch(session.id) {
                    #expect(endedAfter == nil, "came back at \(elapsed)")
                    #expect(touched.expiresAtMilliseconds <= session.absoluteExpiryMilliseconds)
                } else if endedAfter == nil {
                    endedAfter = elapsed
                }
            }
            let ended = try #require(endedAfter)
            #expect(ended >= .milliseconds(2_700))
            #expect(ended <= .milliseconds(3_600))
        }
    }

    @Test func attributeWritesNeverCreateAMissingSession() async throws {
        let configuration = SessionConfiguration(idleTimeout: .milliseconds(150))
        try await withSessionStores(1, configuration) { _, stores in
            let store = stores[0]
            let expired = try await store.create(user: alice)
            try await Task.sleep(for: .milliseconds(300))
            let never = SessionID.random()
            for id in [expired.id, never] {
                #expect(try await store.setAttributes(id, ["cart": "3"]) == false)
                #expect(try await store.removeAttributes(id, ["cart"]) == false)
                #expect(try await store.client.send("HEXISTS", "bulwark:session:\(id.value)", "a:cart").int == 0)
                #expect(try await !exists("bulwark:session:\(id.value):idle", store))
            }
            #expect(try await !exists("bulwark:session:\(never.value)", store))
            #expect(try await store.touch(expired.id) == nil)
        }
    }

    @Test func setAndRemoveTouchOnlyTheNamedAttributes() async throws {
        try await withSessionStores(1) { _, stores in
            let store = stores[0]
            let session = try await store.create(user: alice, attributes: ["a": "1", "b": "2", "c": "3"])
            #expect(try await store.setAttributes(session.id, ["b": "20", "d": "4"]))
            #expect(try await store.removeAttributes(session.id, ["a"]))
            let read = try #require(try await store.touch(session.id))
            #expect(read.attributes == ["b": "20", "c": "3", "d": "4"])
            #expect(read.user == alice)
            #expect(read.createdAtMilliseconds == session.createdAtMilliseconds)
            let error = await #expect(throws: SharedStateError.self) { try await store.setAttributes(session.id, ["": "x"]) }
            #expect(error?.code == .invalidName)
        }
    }

    @Test func concurrentWritersOfDifferentAttributesKeepAll() async throws {
        try await withSessionStores(2) { _, stores in
            let session = try await stores[0].create(user: alice, attributes: ["role": "admin"])
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<50 {
                    group.addTask { try await stores[index % 2].setAttributes(session.id, ["k\(index)": "v\(index)"]) }
                }
                for try await written in group { #expect(written) }
            }
            let read = try #require(try await stores[1].touch(session.id))
            var expected = ["role": "admin"]
            for index in 0..<50 { expected["k\(index)"] = "v\(index)" }
            #expect(read.attributes == expected)
        }
    }

    @Test func malformedIdsNeverReachRedis() async throws {
        try await withSessionStores(1) { _, stores in
            let store = stores[0]
            let before = store.client.statistics
            for text in ["", "../../etc", String(repeating: "Z", count: 64), "*"] {
                await #expect(throws: SharedStateError.self) { _ = try await store.touch(try SessionID(text)) }
            }
            #expect(store.client.statistics.commands == before.commands)
            #expect(store.client.statistics.connects == before.connects)
        }
    }

    @Test func failsClosedWhenRedisIsDown() async throws {
        try await withSessionStores(1) { server, stores in
            let store = stores[0]
            let session = try await store.create(user: alice)
            try await server.stop()
            let touchError = await #expect(throws: SharedStateError.self) { try await store.touch(session.id) }
            #expect(touchError?.code == .storeUnavailable)
            let createError = await #expect(throws: SharedStateError.self) { try await store.create(user: alice) }
            #expect(createError?.code == .storeUnavailable)
            let writeError = await #expect(throws: SharedStateError.self) { try await store.setAttributes(session.id, ["x": "1"]) }
            #expect(writeError?.code == .storeUnavailable)
        }
    }
}
