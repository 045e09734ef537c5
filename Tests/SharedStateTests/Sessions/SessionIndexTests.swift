import RedisClient
import Testing

@testable import SharedState

/// Rotation, revocation and the per-user index, across separate instances.
@Suite struct SessionIndexTests {
    private let alice: SessionUser
    private let bob: SessionUser
    init() throws {
        alice = try SessionUser("alice")
        bob = try SessionUser("bob")
    }

    @Test func rotationMovesTheDataToANewId() async throws {
        try await withSessionStores(2) { _, stores in
            let session = try await stores[0].create(user: alice, attributes: ["role": "admin"])
            let rotated = try #require(try await stores[1].rotate(session.id))
            #expect(rotated.id != session.id)
            #expect(rotated.user == alice)
            #expect(rotated.attributes == ["role": "admin"])
            #expect(rotated.createdAtMilliseconds == session.createdAtMilliseconds)
            #expect(rotated.absoluteExpiryMilliseconds == session.absoluteExpiryMilliseconds)

            #expect(try await stores[0].touch(session.id) == nil)
            #expect(try await !exists("bulwark:session:\(session.id.value)", stores[0]))
            #expect(try await !exists("bulwark:session:\(session.id.value):idle", stores[0]))
            #expect(try await stores[0].touch(rotated.id)?.attributes == ["role": "admin"])
            #expect(try await stores[0].sessions(user: alice).map(\.id) == [rotated.id])
            #expect(try await stores[0].rotate(session.id) == nil)

            let members = try await stores[0].client.send("ZRANGE", "bulwark:sessions:expiry", 0, -1).array?.compactMap(\.string)
            #expect(members == ["\(rotated.id.value):alice"])
            #expect(await drainEvents(stores[1]) == [.rotated(from: session.id, to: rotated.id, user: alice)])
        }
    }

    @Test func listAndRevokeAllAcrossInstances() async throws {
        try await withSessionStores(2) { _, stores in
            var aliceIDs: Set<SessionID> = []
            for index in 0..<5 {
                aliceIDs.insert(try await stores[index % 2].create(user: alice, attributes: ["n": "\(index)"]).id)
            }
            let bobs = try await stores[1].create(user: bob)

            let listed = try await stores[1].sessions(user: alice)
            #expect(Set(listed.map(\.id)) == aliceIDs)
            let numbers = Set(listed.map { $0.attributes["n"] })
            #expect(numbers == ["0", "1", "2", "3", "4"])
            #expect(try await stores[0].sessions(user: bob).map(\.id) == [bobs.id])

            #expect(try await stores[0].revokeAll(user: alice) == 5)
            for id in aliceIDs {
                #expect(try await stores[1].touch(id) == nil)
            }
            #expect(try await stores[1].sessions(user: alice).isEmpty)
            #expect(try await stores[1].touch(bobs.id) != nil)
            #expect(try await stores[0].revokeAll(user: alice) == 0)

            let revoked = await drainEvents(stores[0]).filter { if case .revoked = $0 { true } else { false } }
            let alicesRevocations = Set(aliceIDs.map { SessionEvent.revoked($0, user: alice) })
            #expect(Set(revoked) == alicesRevocations)
            #expect(revoked.count == 5)
        }
    }

    @Test func revokeEndsOneSession() async throws {
        try await withSessionStores(2) { _, stores in
            let first = try await stores[0].create(user: alice)
            let second = try await stores[0].create(user: alice)
            #expect(try await stores[1].revoke(first.id))
            #expect(try await stores[1].revoke(first.id) == false)
            #expect(try await stores[0].touch(first.id) == nil)
            #expect(try await stores[0].sessions(user: alice).map(\.id) == [second.id])
            #expect(await drainEvents(stores[1]) == [.revoked(first.id, user: alice)])
            #expect(await drainEvents(stores[0]) == [.created(first.id, user: alice), .created(second.id, user: alice)])
        }
    }

    @Test func listingDropsExpiredSessionsWithoutExtendingLiveOnes() async throws {
        let configuration = SessionConfiguration(idleTimeout: .seconds(1))
        try await withSessionStores(1, configuration) { _, stores in
            let store = stores[0]
            let early = try await store.create(user: alice)
            try await Task.sleep(for: .milliseconds(700))
            let late = try await store.create(user: alice)
            try await Task.sleep(for: .milliseconds(400))
            let listed = try await store.sessions(user: alice)
            #expect(listed.map(\.id) == [late.id])
            #expect(listed.first?.expiresAtMilliseconds == late.expiresAtMilliseconds)
            #expect(try await store.client.send("ZCARD", "bulwark:sessions:user:alice").int == 1)
            #expect(try await store.touch(early.id) == nil)
        }
    }
}
