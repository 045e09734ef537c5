import RedisClient
import RedisTestSupport
import SharedState
import Synchronization
import Testing

/// Each `IdempotencyStore` below has its own `RedisClient`: they stand for separate instances.
@Suite struct IdempotencyStoreTests {
    private let bytes: [UInt8] = [0, 1, 2, 0xFF, 0xFE, 0x0D, 0x0A, 0] + Array("HTTP/1.1 201 Created".utf8)

    @Test func firstClaimAcquiresAndADuplicateInProgressConflicts() async throws {
        try await withIdempotencyStores(2) { _, stores in
            let first = try await stores[0].claim("order-1")
            #expect(first.lease != nil)
            let duplicate = try await stores[1].claim("order-1")
            guard case .inProgress(let remaining) = duplicate else {
                Issue.record("expected in progress, got \(duplicate)")
                return
            }
            #expect(remaining > .seconds(25) && remaining <= .seconds(30))
            let outcome = try await stores[1].execute("order-1") {
                Issue.record("a duplicate ran the operation")
                return []
            }
            #expect(outcome == .inProgress)
            #expect(outcome.httpStatus == 409)
        }
    }

    @Test func completionReplaysTheExactBytes() async throws {
        try await withIdempotencyStores(2) { _, stores in
            let lease = try #require(try await stores[0].claim("order-2").lease)
            #expect(try await stores[0].complete(lease, result: bytes))
            #expect(try await stores[1].claim("order-2") == .completed(bytes))
            let outcome = try await stores[1].execute("order-2") {
                Issue.record("a completed key ran the operation again")
                return []
            }
            #expect(outcome == .replayed(bytes))
            #expect(outcome.httpStatus == nil)
            #expect(outcome.result == bytes)
        }
    }

    @Test func executeRunsOnceAndStoresTheResult() async throws {
        try await withIdempotencyStores(1) { _, stores in
            let runs = Atomic<Int>(0)
            let first = try await stores[0].execute("order-3") {
                runs.add(1, ordering: .relaxed)
                return bytes
            }
            #expect(first == .executed(bytes))
            let again = try await stores[0].execute("order-3") {
                runs.add(1, ordering: .relaxed)
                return []
            }
            #expect(again == .replayed(bytes))
            #expect(runs.load(ordering: .relaxed) == 1)
            let record = try #require(try await stores[0].show(key: IdempotencyKey("order-3"), scope: IdempotencyScope("tenant-1")))
            #expect(record.state == .completed)
            #expect(record.result == bytes)
            #expect(record.fingerprint == "fp-1")
            #expect(record.completedAt != nil)
            #expect(record.expiresIn > .seconds(86_000) && record.expiresIn <= .seconds(86_400))
        }
    }

    @Test func aKeyReusedWithAnotherFingerprintIsAMismatch() async throws {
        try await withIdempotencyStores(2) { _, stores in
            let lease = try #require(try await stores[0].claim("order-4", fingerprint: "aaaa").lease)
            #expect(try await stores[1].claim("order-4", fingerprint: "bbbb") == .mismatch)
            try await stores[0].complete(lease, result: bytes)
            let outcome = try await stores[1].execute("order-4", fingerprint: "bbbb") {
                Issue.record("a mismatched request ran")
                return []
            }
            #expect(outcome == .mismatch)
            #expect(outcome.httpStatus == 422)
            #expect(try await stores[1].claim("order-4", fingerprint: "aaaa") == .completed(bytes))
        }
    }

    @Test func aLateFinisherWhoseLeaseExpiredCannotOverwrite() async throws {
        let configuration = IdempotencyConfiguration(leaseDuration: .seconds(1))
        try await withIdempotencyStores(2, configuration: configuration) { _, stores in
            let late = try #require(try await stores[0].claim("order-5").lease)
            try await Task.sleep(for: .milliseconds(1_200))
            let second = try #require(try await stores[1].claim("order-5").lease)
            #expect(try await stores[1].complete(second, result: Array("second".utf8)))
            #expect(try await stores[0].complete(late, result: Array("late".utf8)) == false)
            #expect(try await stores[0].claim("order-5") == .completed(Array("second".utf8)))

            // Expired and never claimed again: the late result is not stored either.
            let alone = try #require(try await stores[0].claim("order-6").lease)
            try await Task.sleep(for: .milliseconds(1_200))
            #expect(try await stores[0].complete(alone, result: Array("late".utf8)) == false)
            #expect(try await stores[0].show(key: IdempotencyKey("order-6"), scope: IdempotencyScope("tenant-1")) == nil)
        }
    }

    @Test func abandonFreesTheKeyForARetry() async throws {
        try await withIdempotencyStores(2) { _, stores in
            let first = try #require(try await stores[0].claim("order-7").lease)
            #expect(try await stores[0].abandon(first))
            let retry = try #require(try await stores[1].claim("order-7").lease)
            #expect(try await stores[0].abandon(first) == false)  // no longer its lease
            #expect(try await stores[0].claim("order-7").isInProgress)
            #expect(try await stores[1].complete(retry, result: bytes))
        }
    }

    @Test func aFailedOperationAbandonsSoTheNextAttemptRuns() async throws {
        struct Declined: Error {}
        try await withIdempotencyStores(1) { _, stores in
            await #expect(throws: Declined.self) {
                try await stores[0].execute("order-8") { throw Declined() }
            }
            #expect(try await stores[0].show(key: IdempotencyKey("order-8"), scope: IdempotencyScope("tenant-1")) == nil)
            let retried = try await stores[0].execute("order-8") { bytes }
            #expect(retried == .executed(bytes))
        }
    }

    @Test func completedResultsExpireAfterTheRetention() async throws {
        let configuration = IdempotencyConfiguration(retention: .milliseconds(200))
        try await withIdempotencyStores(1, configuration: configuration) { _, stores in
            let lease = try #require(try await stores[0].claim("order-9").lease)
            try await stores[0].complete(lease, result: bytes)
            #expect(try await stores[0].claim("order-9") == .completed(bytes))
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await stores[0].claim("order-9").lease != nil)
        }
    }

    @Test func scopesDoNotShareKeys() async throws {
        try await withIdempotencyStores(2) { _, stores in
            let lease = try #require(try await stores[0].claim("same-key", scope: "tenant-a", fingerprint: "aaaa").lease)
            try await stores[0].complete(lease, result: bytes)
            let other = try await stores[1].execute("same-key", scope: "tenant-b", fingerprint: "bbbb") { Array("b".utf8) }
            #expect(other == .executed(Array("b".utf8)))
            #expect(try await stores[1].claim("same-key", scope: "tenant-a", fingerprint: "aaaa") == .completed(bytes))
        }
    }

    @Test func malformedKeysScopesAndFingerprintsAreRefusedBeforeRedis() async throws {
        try await withIdempotencyStores(1) { server, stores in
            for bad in ["", String(repeating: "k", count: 256), "line\nbreak", "caf\u{E9}", "tab\there"] {
                #expect(throws: SharedStateError.self) {
                    _ = try IdempotencyKey(bad)
                }
                await #expect(throws: SharedStateError.self) {
                    try await stores[0].execute(bad) {
                        Issue.record("an operation ran for a malformed key")
                        return []
                    }
                }
            }
            for bad in ["", "a{b}", "with space", String(repeating: "s", count: 129)] {
                let error = try #require(throws: SharedStateError.self) { try IdempotencyScope(bad) }
                #expect(error.code == .invalidName)
            }
            for bad in ["", "has space", String(repeating: "f", count: 129)] {
                let error = try #require(throws: SharedStateError.self) { try IdempotencyFingerprint(bad) }
                #expect(error.code == .invalidName)
            }
            #expect(try IdempotencyKey(String(repeating: "k", count: 255)).value.count == 255)
            #expect(try IdempotencyKey("a b {c} ~").value == "a b {c} ~")
            let client = try RedisClient(url: server.url)
            defer { client.shutdown() }
            #expect(try await client.send("DBSIZE").int == 0)
        }
    }

    @Test func operatorsShowAndDeleteRecords() async throws {
        try await withIdempotencyStores(1) { _, stores in
            let key = try IdempotencyKey("order-10")
            let scope = try IdempotencyScope("tenant-1")
            #expect(try await stores[0].show(key: key, scope: scope) == nil)
            _ = try await stores[0].claim("order-10")
            let running = try #require(try await stores[0].show(key: key, scope: scope))
            #expect(running.state == .inProgress)
            #expect(running.result == nil)
            #expect(running.completedAt == nil)
            #expect(running.claimedAt > 1_700_000_000_000)
            #expect(try await stores[0].delete(key: key, scope: scope))
            #expect(try await stores[0].delete(key: key, scope: scope) == false)
            #expect(try await stores[0].claim("order-10").lease != nil)
        }
    }

    @Test func redisDownFailsClosed() async throws {
        try await withIdempotencyStores(1) { server, stores in
            try await server.stop()
            let error = try await #require(throws: SharedStateError.self) {
                _ = try await stores[0].claim("order-11")
            }
            #expect(error.code == .storeUnavailable)
            let executeError = try await #require(throws: SharedStateError.self) {
                try await stores[0].execute("order-11") {
                    Issue.record("the operation ran without Redis")
                    return []
                }
            }
            #expect(executeError.code == .storeUnavailable)
        }
    }

    @Test func aWaitingDuplicateGetsTheOtherCallersResult() async throws {
        try await withIdempotencyStores(2) { _, stores in
            let lease = try #require(try await stores[0].claim("order-12").lease)
            async let waited = stores[1].execute("order-12", wait: true) {
                Issue.record("the waiting duplicate ran the operation")
                return []
            }
            try await Task.sleep(for: .milliseconds(150))
            try await stores[0].complete(lease, result: bytes)
            #expect(try await waited == .replayed(bytes))
        }
    }

    @Test func aWaitingDuplicateGivesUpAfterTheTimeout() async throws {
        let configuration = IdempotencyConfiguration(wait: .init(timeout: .milliseconds(200)))
        try await withIdempotencyStores(2, configuration: configuration) { _, stores in
            _ = try #require(try await stores[0].claim("order-13").lease)
            let started = ContinuousClock.now
            let outcome = try await stores[1].execute("order-13", wait: true) { [] }
            #expect(outcome == .inProgress)
            let waited = ContinuousClock.now - started
            #expect(waited >= .milliseconds(200) && waited < .seconds(2))
        }
    }

    @Test func aWaitingDuplicateTakesOverWhenTheHolderDies() async throws {
        let configuration = IdempotencyConfiguration(leaseDuration: .milliseconds(200))
        try await withIdempotencyStores(2, configuration: configuration) { _, stores in
            _ = try #require(try await stores[0].claim("order-14").lease)  // and never completes
            let outcome = try await stores[1].execute("order-14", wait: true) { bytes }
            #expect(outcome == .executed(bytes))
        }
    }

}
