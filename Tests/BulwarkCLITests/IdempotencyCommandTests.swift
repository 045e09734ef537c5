import BulwarkTestSupport
import Foundation
import RedisTestSupport
import SharedState
import Testing

/// `bulwark idempotency …` against records the service uses, checked through its admin API.
@Suite(.serialized) struct IdempotencyCommandTests {
    @Test func showPrintsTheRecordAndDeleteLetsTheKeyRunAgain() async throws {
        try await withCLIHarness(prefix: "cli-idem") { harness in
            let serve = try await harness.serve(instance: "cli-serve")
            defer { Task { await serve.process.terminate() } }
            let store = try IdempotencyStore(client: harness.client, prefix: harness.prefix)
            let key = try IdempotencyKey("order-17")
            let outcome = try await store.execute(key: key, scope: try IdempotencyScope("default"), fingerprint: try IdempotencyFingerprint("f1")) {
                Array("receipt".utf8)
            }
            #expect(outcome == .executed(Array("receipt".utf8)))

            let show = try await harness.bulwark("idempotency", "show", "order-17", "--json")
            #expect(show.status == 0, "\(show.standardError)")
            let record = try show.json()
            #expect(record["key"] as? String == "order-17")
            #expect(record["scope"] as? String == "default")
            #expect(record["state"] as? String == "done")
            #expect(record["resultSize"] as? Int == 7)
            #expect(record["claimedAt"] is String)
            #expect(!show.standardOutput.contains("receipt"), "the stored result is shown by its size only")
            #expect(try await ServiceHTTP.json(serve, "/api/v1/idempotency/order-17").status == 200)

            let otherScope = try await harness.bulwark("idempotency", "show", "order-17", "--scope", "tenant-2")
            #expect(otherScope.status == 66)
            #expect(otherScope.errorLines.count == 1)

            let delete = try await harness.bulwark("idempotency", "delete", "order-17", "--json")
            #expect(delete.status == 0)
            #expect(try delete.json()["deleted"] as? Bool == true)
            #expect(try await ServiceHTTP.json(serve, "/api/v1/idempotency/order-17").status == 404)
            #expect(try await harness.bulwark("idempotency", "show", "order-17").status == 66)
            let again = try await harness.bulwark("idempotency", "delete", "order-17")
            #expect(again.status == 66)
            #expect(again.errorLines.count == 1)
        }
    }
}
