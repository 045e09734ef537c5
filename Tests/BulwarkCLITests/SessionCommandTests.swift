import BulwarkTestSupport
import Foundation
import RedisTestSupport
import SharedState
import Testing

/// `bulwark session …` against sessions the service holds, checked in Redis and through the service's admin API.
@Suite(.serialized) struct SessionCommandTests {
    @Test func listShowsHandlesAndRevokingAUserNeedsConfirmationThenEndsEverySession() async throws {
        try await withCLIHarness(prefix: "cli-sessions") { harness in
            let serve = try await harness.serve(instance: "cli-serve")
            defer { Task { await serve.process.terminate() } }
            let store = try SessionStore(client: harness.client, prefix: harness.prefix)
            let alice = try SessionUser("alice@example.com")
            let first = try await store.create(user: alice, attributes: ["role": "admin"])
            _ = try await store.create(user: alice)
            _ = try await store.create(user: try SessionUser("bob"))

            let list = try await harness.bulwark("session", "list", "--user", "alice@example.com", "--json")
            #expect(list.status == 0)
            let listed = try list.json()
            #expect(listed["user"] as? String == "alice@example.com")
            let sessions = listed["sessions"] as? [[String: Any]] ?? []
            #expect(sessions.count == 2)
            let everyIdIsAnEightCharacterPrefix = sessions.allSatisfy { ($0["idPrefix"] as? String)?.count == 8 && $0["id"] == nil }
            let oneListsItsAttributeNames = sessions.contains { $0["attributes"] as? [String] == ["role"] }
            #expect(everyIdIsAnEightCharacterPrefix)
            #expect(oneListsItsAttributeNames)
            #expect(!list.standardOutput.contains(first.id.value), "whole ids are secrets")
            let full = try await harness.bulwark("session", "list", "--user", "alice@example.com", "--full-ids")
            #expect(full.standardOutput.contains(first.id.value))

            let refused = try await harness.bulwark("session", "revoke", "--user", "alice@example.com")
            #expect(refused.status == 64)
            #expect(refused.errorLines.count == 1)
            #expect(refused.standardError.contains("2 sessions"))
            #expect(try await Self.sessionCount(serve, "alice@example.com") == 2)

            let revoked = try await harness.bulwark("session", "revoke", "--user", "alice@example.com", "--yes", "--json")
            #expect(revoked.status == 0)
            #expect(try revoked.json()["revoked"] as? Int == 2)
            #expect(try await Self.sessionCount(serve, "alice@example.com") == 0)
            #expect(try await store.touch(first.id) == nil)
            #expect(try await Self.sessionCount(serve, "bob") == 1)
        }
    }

    @Test func revokingOneSessionByIdAndBadIds() async throws {
        try await withCLIHarness(prefix: "cli-session") { harness in
            let serve = try await harness.serve(instance: "cli-serve")
            defer { Task { await serve.process.terminate() } }
            let store = try SessionStore(client: harness.client, prefix: harness.prefix)
            let carol = try SessionUser("carol")
            let kept = try await store.create(user: carol)
            let ended = try await store.create(user: carol)

            let output = try await harness.bulwark("session", "revoke", ended.id.value, "--json")
            #expect(output.status == 0)
            #expect(try output.json()["revoked"] as? Int == 1)
            #expect(try await store.touch(ended.id) == nil)
            #expect(try await store.touch(kept.id) != nil)
            #expect(try await Self.sessionCount(serve, "carol") == 1)

            let malformed = try await harness.bulwark("session", "revoke", "not-a-session-id")
            #expect(malformed.status == 64)
            #expect(malformed.errorLines.count == 1)
            let unknown = try await harness.bulwark("session", "revoke", String(repeating: "0", count: 64))
            #expect(unknown.status == 66)
            #expect(unknown.errorLines.count == 1)
            let neither = try await harness.bulwark("session", "revoke")
            #expect(neither.status == 64)
            #expect(neither.errorLines.count == 1)
            #expect(try await Self.sessionCount(serve, "carol") == 1)
        }
    }

    /// The user's sessions as the service's admin API lists them.
    static func sessionCount(_ serve: ServeProcess, _ user: String) async throws -> Int {
        let (status, body) = try await ServiceHTTP.json(serve, "/api/v1/sessions?user=\(user)")
        guard status == 200 else { throw NotYet() }
        return (body["sessions"] as? [Any])?.count ?? -1
    }
}
