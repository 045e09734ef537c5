import RedisClient
import RedisTestSupport
import Synchronization
import Testing

@testable import SharedState

@Suite struct SharedCacheTests {
    @Test func aMissRunsTheFactoryOnceAndEveryInstanceReadsTheValue() async throws {
        try await withCaches(2) { _, caches in
            let counter = FactoryCounter()
            let first = try await caches[0].getOrSet("user:1") { try await counter.make("Ada") }
            let again = try await caches[0].getOrSet("user:1") { try await counter.make("other") }
            let elsewhere = try await caches[1].getOrSet("user:1") { try await counter.make("other") }
            #expect([first, again, elsewhere] == ["Ada", "Ada", "Ada"])
            #expect(counter.count == 1)
        }
    }

    @Test func aLocalHitSendsNothingToRedis() async throws {
        try await withCaches(1) { _, caches in
            _ = try await caches[0].getOrSet("hot") { 42 }
            let before = caches[0].client.statistics.commands
            for _ in 0..<100 {
                let cached = try await caches[0].getOrSet("hot") { 0 }
                #expect(cached == 42)
            }
            #expect(caches[0].client.statistics.commands == before)
        }
    }

    @Test func invalidationReachesEveryInstancesLocalTier() async throws {
        try await withCaches(2) { _, caches in
            _ = try await caches[0].getOrSet("k", options: .init(tags: ["group"])) { "v1" }
            _ = try await caches[1].getOrSet("k") { "unused" }
            #expect(caches[1].local.entry("k") != nil)
            #expect(try await caches[0].invalidate(keys: ["k"]) == 1)
            _ = try await eventually { () async throws -> Bool in
                guard caches[1].local.entry("k") == nil else { throw SharedStateError(.unexpectedReply, "still cached") }
                return true
            }
            let afterInvalidation = try await caches[1].getOrSet("k") { "v2" }
            #expect(afterInvalidation == "v2")

            _ = try await caches[0].getOrSet("t1", options: .init(tags: ["group"])) { 1 }
            _ = try await caches[1].getOrSet("t1") { 0 }
            #expect(try await caches[0].invalidate(tag: "group") >= 1)
            _ = try await eventually { () async throws -> Bool in
                guard caches[1].local.entry("t1") == nil else { throw SharedStateError(.unexpectedReply, "still cached") }
                return true
            }
            #expect(try await caches[1].inspect("t1")?.bytes == nil)
        }
    }

    @Test func prefixInvalidationScansInBatchesAndSparesOtherKeys() async throws {
        try await withCaches(1) { _, caches in
            for index in 0..<1_200 { _ = try await caches[0].getOrSet("p:\(index)") { index } }
            _ = try await caches[0].getOrSet("q:keep") { 1 }
            _ = try await caches[0].getOrSet("p*literal") { 1 }
            let batches = BatchCounter()
            let removed = try await caches[0].invalidate(prefix: "p:") { _ in batches.add() }
            #expect(removed == 1_200)
            #expect(batches.count >= 2)
            #expect(try await caches[0].inspect("q:keep")?.bytes != nil)
            #expect(try await caches[0].inspect("p*literal")?.bytes != nil)
            #expect(try await caches[0].inspect("p:7")?.bytes == nil)
        }
    }

    @Test func concurrentMissesAcrossInstancesRunTheFactoryOnce() async throws {
        try await withCaches(2) { _, caches in
            let counter = FactoryCounter()
            let values = try await withThrowingTaskGroup(of: String.self) { group in
                for caller in 0..<128 {
                    let cache = caches[caller % 2]
                    group.addTask { try await cache.getOrSet("cold") { try await counter.make("made", taking: .milliseconds(50)) } }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(values.count == 128)
            let everyCallerGotTheMadeValue = values.allSatisfy { $0 == "made" }
            #expect(everyCallerGotTheMadeValue, "\(Set(values))")
            #expect(counter.count == 1)
        }
    }

    @Test func aFailingFactoryServesTheStaleValue() async throws {
        var configuration = SharedCacheConfiguration()
        configuration.localTierEnabled = false
        try await withCaches(1, configuration: configuration) { _, caches in
            _ = try await caches[0].getOrSet("price", options: .init(timeToLive: .milliseconds(100))) { 10 }
            try await Task.sleep(for: .milliseconds(150))
            let served = try await caches[0].getOrSet("price", options: .init(timeToLive: .milliseconds(100))) { () async throws -> Int in
                throw FactoryFailure()
            }
            #expect(served == 10)
            // With nothing stale to serve, the factory's error comes through.
            await #expect(throws: FactoryFailure.self) {
                try await caches[0].getOrSet("never") { () async throws -> Int in throw FactoryFailure() }
            }
        }
    }

    @Test func aSlowFactoryPastItsSoftTimeoutServesStaleAndFinishesInTheBackground() async throws {
        var configuration = SharedCacheConfiguration()
        configuration.localTierEnabled = false
        configuration.factorySoftTimeout = .milliseconds(50)
        try await withCaches(1, configuration: configuration) { _, caches in
            let counter = FactoryCounter()
            _ = try await caches[0].getOrSet("report", options: .init(timeToLive: .milliseconds(100))) { 1 }
            try await Task.sleep(for: .milliseconds(150))
            let quick = try await caches[0].getOrSet("report", options: .init(timeToLive: .seconds(10))) {
                try await counter.make(2, taking: .milliseconds(300))
            }
            #expect(quick == 1)
            let fresh = try await eventually { () async throws -> Int in
                let value = try await caches[0].getOrSet("report") { -1 }
                guard value == 2 else { throw SharedStateError(.unexpectedReply, "not refreshed yet") }
                return value
            }
            #expect(fresh == 2)
            #expect(counter.count == 1)
        }
    }

    @Test func earlyRefreshRemakesAPopularValueBeforeItExpires() async throws {
        var configuration = SharedCacheConfiguration()
        configuration.localTierEnabled = false
        configuration.earlyRefreshBeta = 1_000
        try await withCaches(1, configuration: configuration) { _, caches in
            let counter = FactoryCounter()
            let options = CacheEntryOptions(timeToLive: .seconds(30))
            let made = try await caches[0].getOrSet("popular", options: options) { try await counter.make(1, taking: .milliseconds(50)) }
            #expect(made == 1)
            // The factory took ~50 ms: with beta 1,000 a read refreshes early with high probability although
            // the value has ~30 s left, while every read still gets an answer at once.
            let refreshed = try await eventually { () async throws -> Int in
                let value = try await caches[0].getOrSet("popular", options: options) { try await counter.make(2, taking: .milliseconds(50)) }
                guard value == 2 else { throw SharedStateError(.unexpectedReply, "not refreshed yet") }
                return value
            }
            #expect(refreshed == 2)
            // Early refreshes of one key do not pile up: each takes the fill lock, so they never overlap.
            #expect(counter.count < 10)
        }
    }

    @Test func slidingEntriesStayAliveWhileRead() async throws {
        var configuration = SharedCacheConfiguration()
        configuration.localTierEnabled = false
        configuration.failSafeMaximumAge = .zero
        try await withCaches(1, configuration: configuration) { _, caches in
            let counter = FactoryCounter()
            let sliding = CacheEntryOptions(timeToLive: .seconds(1), sliding: true)
            _ = try await caches[0].getOrSet("session-ish", options: sliding) { try await counter.make("s") }
            // Reads every 400 ms keep a 1 s entry fresh well past its first second.
            for _ in 0..<5 {
                try await Task.sleep(for: .milliseconds(400))
                _ = try await caches[0].getOrSet("session-ish", options: sliding) { try await counter.make("again") }
            }
            #expect(counter.count == 1)
            try await Task.sleep(for: .milliseconds(1_300))
            _ = try await caches[0].getOrSet("session-ish", options: sliding) { try await counter.make("again") }
            #expect(counter.count == 2)
        }
    }

    @Test func redisDownServesStaleOrRunsTheFactoryWithoutFailing() async throws {
        try await withCaches(1) { server, caches in
            _ = try await caches[0].getOrSet("config", options: .init(timeToLive: .milliseconds(50))) { "v1" }
            try await server.kill()
            try await Task.sleep(for: .milliseconds(100))
            // Redis is gone: the stale in-process value stands in rather than an error.
            let stale = try await caches[0].getOrSet("config") { "from factory" }
            #expect(stale == "v1")
            // No stale value: the factory runs, once per key in this process, and nothing fails.
            let madeLocally = try await caches[0].getOrSet("other") { "made locally" }
            #expect(madeLocally == "made locally")
            let trusted = caches[0].localTrusted.load(ordering: .relaxed)
            #expect(!trusted)
            try await server.restart()
            _ = try await eventually(attempts: 200) { () async throws -> Bool in
                guard caches[0].localTrusted.load(ordering: .relaxed) else { throw SharedStateError(.storeUnavailable, "not back") }
                return true
            }
        }
    }

    @Test func malformedKeysAreRefusedBeforeRedis() async throws {
        try await withCaches(1) { _, caches in
            let before = caches[0].client.statistics.commands
            await #expect(throws: SharedStateError.self) { try await caches[0].getOrSet("has space") { 1 } }
            await #expect(throws: SharedStateError.self) { try await caches[0].getOrSet("ok", options: .init(tags: [""])) { 1 } }
            await #expect(throws: SharedStateError.self) { try await caches[0].invalidate(prefix: "") }
            await #expect(throws: SharedStateError.self) { try await caches[0].invalidate(keys: ["fine", "not fine"]) }
            #expect(caches[0].client.statistics.commands == before)
        }
    }
}

/// Counts progress callbacks.
final class BatchCounter: Sendable {
    private let calls = Mutex(0)
    var count: Int { calls.withLock { $0 } }
    func add() { calls.withLock { $0 += 1 } }
}

@Suite struct RawCacheCodecTests {
    private struct Point: Codable, Equatable {
        var x: Int
        var y: Int
    }

    @Test func bytesAndStringsPassThroughAndOthersUseJSON() throws {
        let codec = RawCacheCodec()
        let bytes: [UInt8] = [0, 255, 10, 0]
        #expect(try codec.encode(bytes) == bytes)
        #expect(try codec.decode([UInt8].self, from: bytes) == bytes)
        #expect(try codec.encode("héllo") == Array("héllo".utf8))
        #expect(try codec.decode(String.self, from: Array("héllo".utf8)) == "héllo")
        let point = Point(x: 1, y: -2)
        #expect(try codec.decode(Point.self, from: try codec.encode(point)) == point)
        #expect(String(decoding: try codec.encode(point), as: UTF8.self).contains("\"x\":1"))
    }
}
