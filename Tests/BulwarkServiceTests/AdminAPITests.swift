import BulwarkInstanceKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Synchronization
import Testing

@testable import BulwarkService

/// Every admin change, checked where it lands: in Redis and in other instances, not only in the answer.
@Suite(.serialized) struct AdminAPITests {
    @Test func forcingABreakerOpenMakesAnotherInstanceRejectCalls() async throws {
        let redis = try await RedisServerProcess.start()
        defer { Task { await redis.shutdown() } }
        let other = try await InstanceProcess.start(redisURL: redis.url, instance: "other", arguments: ["--breaker", "payments"])
        defer { other.terminate() }
        #expect(try await other.send("call ok").result == "ok")
        try await ServiceHarness.run(redis: redis, configure: { $0.keyPrefix = "bulwark" }) { service in
            let opened = try await service.send(.post, "/api/v1/breakers/payments/open", token: true)
            #expect(opened.status == .ok)
            #expect(opened.json["state"] as? String == "isolated")
            let rejected = try await eventually(attempts: 40) {
                let answer = try await other.send("call ok")
                guard answer.result == "rejected" else { throw InstanceFailure(message: "still \(answer.result ?? "?")") }
                return answer
            }
            #expect(rejected.result == "rejected")
            let stored = try await service.components.breakers.store.read(try BreakerName("payments"))
            #expect(stored.state == .isolated)

            let reset = try await service.send(.post, "/api/v1/breakers/payments/reset", token: true)
            #expect(reset.json["state"] as? String == "closed")
            _ = try await eventually(attempts: 40) {
                guard try await other.send("call ok").result == "ok" else { throw InstanceFailure(message: "still rejected") }
            }
        }
        await other.stop()
    }

    @Test func cacheReadAndInvalidationReachRedisAndAnotherInstancesLocalTier() async throws {
        try await ServiceHarness.run { service in
            let prefix = service.components.configuration.keyPrefix
            var logger = Logger(label: "other")
            logger.logLevel = .critical
            let otherClient = try RedisClient(url: service.redis.url, logger: logger)
            defer { otherClient.shutdown() }
            let other = try SharedCache(
                client: otherClient,
                configuration: SharedCacheConfiguration(keyPrefix: prefix),
                instanceID: "other",
                logger: logger
            )
            let listening = Task { try await other.run() }
            defer { listening.cancel() }
            let factoryRuns = Counter()
            let load: @Sendable () async throws -> String = {
                factoryRuns.increment(); return "v\(factoryRuns.value)"
            }
            // The other instance's in-process tier answers the value once it is subscribed.
            #expect(try await other.getOrSet("user:1", factory: load) == "v1")
            try await eventually {
                let before = other.statistics.localHits
                _ = try await other.getOrSet("user:1", factory: load)
                guard other.statistics.localHits > before else { throw InstanceFailure(message: "not answered from the local tier yet") }
            }
            let read = try await service.send(.get, "/api/v1/cache?key=user:1")
            #expect(read.status == .ok)
            #expect(read.json["value"] as? String == "\"v1\"")

            let invalidated = try await service.send(.post, "/api/v1/cache/invalidate", json: #"{"keys":["user:1"]}"#, token: true)
            #expect(invalidated.json["invalidated"] as? Int == 1)
            #expect(try await service.send(.get, "/api/v1/cache?key=user:1").status == .notFound)
            // The other instance no longer answers from its copy: its next read runs the factory again.
            let fresh = try await eventually { () async throws -> String in
                let value = try await other.getOrSet("user:1", factory: load)
                guard value != "v1" else { throw InstanceFailure(message: "stale local copy") }
                return value
            }
            #expect(fresh == "v2")

            _ = try await other.getOrSet("report:a", options: CacheEntryOptions(tags: ["reports"]), factory: { "a" })
            let tagged = try await service.send(.get, "/api/v1/cache?key=report:a")
            #expect(tagged.json["tags"] as? [String] == ["reports"])
            #expect((tagged.json["freshForMilliseconds"] as? Int ?? 0) > 0)
            #expect((tagged.json["expiresInMilliseconds"] as? Int ?? 0) >= (tagged.json["freshForMilliseconds"] as? Int ?? 0))
            _ = try await other.getOrSet("report:b", options: CacheEntryOptions(tags: ["reports"]), factory: { "b" })
            let byTag = try await service.send(.post, "/api/v1/cache/invalidate", json: #"{"tag":"reports"}"#, token: true)
            #expect(byTag.json["invalidated"] as? Int == 2)
            _ = try await other.getOrSet("page:1", factory: { "p" })
            let byPrefix = try await service.send(.post, "/api/v1/cache/invalidate", json: #"{"prefix":"page:"}"#, token: true)
            #expect(byPrefix.json["invalidated"] as? Int == 1)
            let both = try await service.send(.post, "/api/v1/cache/invalidate", json: #"{"prefix":"a","tag":"b"}"#, token: true)
            #expect(both.status == .badRequest)
        }
    }

    @Test func sessionsOfAUserAreListedWithoutTheirIdsAndRevoked() async throws {
        try await ServiceHarness.run { service in
            let sessions = service.components.sessions
            let first = try await sessions.create(user: try SessionUser("ada"), attributes: ["role": "admin"])
            _ = try await sessions.create(user: try SessionUser("ada"))
            _ = try await sessions.create(user: try SessionUser("bob"))
            let list = try await service.send(.get, "/api/v1/sessions?user=ada")
            #expect(list.status == .ok)
            let listed = try #require(list.json["sessions"] as? [[String: Any]])
            #expect(listed.count == 2)
            #expect(!list.text.contains(first.id.value))
            let listsTheFirstByItsPrefix = listed.contains { $0["idPrefix"] as? String == String(first.id.value.prefix(8)) }
            #expect(listsTheFirstByItsPrefix, "\(list.text)")

            let one = try await service.send(.post, "/api/v1/sessions/revoke", json: "{\"id\":\"\(first.id.value)\"}", token: true)
            #expect(one.json["revoked"] as? Int == 1)
            #expect(try await sessions.touch(first.id) == nil)
            let all = try await service.send(.post, "/api/v1/sessions/revoke", json: #"{"user":"ada"}"#, token: true)
            #expect(all.json["revoked"] as? Int == 1)
            #expect(try await sessions.sessions(user: try SessionUser("ada")).isEmpty)
            #expect(try await sessions.sessions(user: try SessionUser("bob")).count == 1)
        }
    }

    @Test func idempotencyRecordsAreShownAndDeleted() async throws {
        try await ServiceHarness.run { service in
            let store = service.components.idempotency
            let key = try IdempotencyKey("order-7")
            let scope = try IdempotencyScope("tenant-1")
            let claim = try await store.claim(key: key, scope: scope, fingerprint: IdempotencyFingerprint(digest: [1, 2, 3]))
            guard case .acquired(let lease) = claim else { Issue.record("not acquired"); return }
            _ = try await store.complete(lease, result: Array("{\"id\":7}".utf8))

            let shown = try await service.send(.get, "/api/v1/idempotency/order-7?scope=tenant-1")
            #expect(shown.status == .ok)
            #expect(shown.json["state"] as? String == "done")
            #expect(shown.json["resultSize"] as? Int == 8)
            #expect(try await service.send(.get, "/api/v1/idempotency/order-7?scope=tenant-2").status == .notFound)

            let deleted = try await service.send(.post, "/api/v1/idempotency/order-7/delete?scope=tenant-1", token: true)
            #expect(deleted.status == .ok)
            #expect(try await store.show(key: key, scope: scope) == nil)
            #expect(try await service.send(.post, "/api/v1/idempotency/order-7/delete?scope=tenant-1", token: true).status == .notFound)
        }
    }

    @Test func deadLettersAreListedRetriedThroughTheHandlerAndPurged() async throws {
        try await ServiceHarness.run { service in
            let store = service.components.deadLetters
            let queue = try DeadLetterQueueName("orders")
            for index in 0..<3 {
                _ = try await store.add(to: queue, payload: Array("order-\(index)".utf8), error: "timeout", attempts: 1)
            }
            let page = try await service.send(.get, "/api/v1/dlq/orders?limit=2")
            #expect(page.json["total"] as? Int == 3)
            let letters = try #require(page.json["letters"] as? [[String: Any]])
            let payloads = letters.map { $0["payload"] as? String }
            #expect(payloads == ["order-0", "order-1"])
            let next = try #require(page.json["next"] as? String)
            let rest = try await service.send(.get, "/api/v1/dlq/orders?after=\(next)")
            #expect((rest.json["letters"] as? [[String: Any]])?.first?["payload"] as? String == "order-2")

            let handled = Counter()
            store.register(queue) { letter in
                handled.increment()
                if String(decoding: letter.payload, as: UTF8.self) == "order-1" { throw DemoFailure() }
            }
            let firstID = try #require(letters.first?["id"] as? String)
            let retried = try await service.send(.post, "/api/v1/dlq/orders/\(firstID)/retry", token: true)
            #expect(retried.json["outcome"] as? String == "succeeded")
            let batch = try await service.send(.post, "/api/v1/dlq/orders/retry", json: #"{"limit":10}"#, token: true)
            #expect(batch.json["succeeded"] as? Int == 1)
            #expect(batch.json["failedAgain"] as? Int == 1)
            #expect(handled.value == 3)
            #expect(try await store.count(queue) == 1)

            #expect(try await service.send(.post, "/api/v1/dlq/orders/purge", json: #"{"olderThanSeconds":0}"#, token: true).status == .badRequest)
            try await Task.sleep(for: .milliseconds(1_100))
            let purged = try await service.send(.post, "/api/v1/dlq/orders/purge", json: #"{"olderThanSeconds":1}"#, token: true)
            #expect(purged.json["purged"] as? Int == 1)
            #expect(try await store.count(queue) == 0)
        }
    }
}

private struct DemoFailure: Error {}

/// A counter shared with `@Sendable` closures.
final class Counter: Sendable {
    private let storage = Mutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var value: Int { storage.withLock { $0 } }
}
