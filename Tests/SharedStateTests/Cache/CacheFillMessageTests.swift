import RedisClient
import RedisTestSupport
import Testing

@testable import SharedState

/// W4 (issue 14, finding 17): an instance waiting for another's fill gets the value in the fill message and
/// answers without a second read of Redis; a fill nobody waits for stays a short announcement.
@Suite struct CacheFillMessageTests {
    /// Polling is off (an hour), so only the fill message can end the wait.
    static var configuration: SharedCacheConfiguration {
        var configuration = SharedCacheConfiguration()
        configuration.fillPollInterval = .seconds(3_600)
        return configuration
    }

    /// Runs the factory on `caches[0]` for `key`, held until `caches[1]` has found the lock taken (its read marks
    /// the key as waited for), while `caches[1]` asks for the same key; returns what `caches[1]` got and how many
    /// commands its client sent for it.
    private static func fillWhileWaiting(
        _ caches: [SharedCache],
        key: String,
        value: String,
        tags: [String] = []
    ) async throws -> (value: String, commands: Int) {
        let filler = caches[0]
        let marked = filler.waitingKey(key)
        let filling = Task {
            try await filler.getOrSet(key, options: .init(timeToLive: .seconds(60), tags: tags)) {
                _ = try await eventually(attempts: 600) {
                    guard try await filler.client.send("EXISTS", marked).int == 1 else { throw NotYet() }
                    return true
                }
                return value
            }
        }
        _ = try await eventually(attempts: 600) {
            guard try await filler.client.send("EXISTS", filler.lockKey(key)).int == 1 else { throw NotYet() }
            return true
        }
        let waiter = caches[1]
        let before = waiter.client.statistics.commands
        let got = try await waiter.getOrSet(key, options: .init(timeToLive: .seconds(60), tags: tags)) { () async throws -> String in
            Issue.record("the waiting instance ran the factory too")
            return "second"
        }
        let commands = waiter.client.statistics.commands - before
        #expect(try await filling.value == value)
        return (got, commands)
    }

    @Test func aWaiterAnswersFromTheFillMessageWithoutReadingRedisAgain() async throws {
        try await withCaches(2, configuration: Self.configuration) { _, caches in
            // Both instances' scripts are loaded, so that a read is one command.
            for cache in caches { _ = try await cache.getOrSet("warm-\(cache.instanceID)") { 0 } }

            let (value, commands) = try await Self.fillWhileWaiting(caches, key: "cold", value: "made", tags: ["group"])
            #expect(value == "made")
            // The read that found the lock taken, and nothing after the fill.
            #expect(commands == 1)
            // The carried value went into the waiter's in-process tier with its tags: a tag invalidation drops it.
            #expect(caches[1].local.entry("cold")?.tags == ["group"])
            _ = try await caches[0].invalidate(tag: "group")
            _ = try await eventually(attempts: 400) {
                guard caches[1].local.entry("cold") == nil else { throw NotYet() }
                return true
            }
            #expect(try await caches[1].client.send("EXISTS", caches[1].waitingKey("cold")).int == 0)
        }
    }

    @Test func aValueAboveTheLimitIsReadFromRedis() async throws {
        var configuration = Self.configuration
        configuration.fillMessageValueLimit = 8
        try await withCaches(2, configuration: configuration) { _, caches in
            for cache in caches { _ = try await cache.getOrSet("warm-\(cache.instanceID)") { 0 } }
            let large = String(repeating: "x", count: 64)
            let (value, commands) = try await Self.fillWhileWaiting(caches, key: "large", value: large)
            #expect(value == large)
            // Announced without its bytes: the waiter reads it.
            #expect(commands == 2)
        }
    }

    @Test func aFillNobodyWaitsForIsAnnouncedWithoutItsValue() async throws {
        try await withCaches(1, configuration: Self.configuration) { server, caches in
            let subscriber = try RedisSubscriber(configuration: try RedisConfiguration(url: server.url))
            defer { subscriber.shutdown() }
            try await subscriber.subscribe(channels: [caches[0].eventsChannel])
            _ = try await caches[0].getOrSet("alone") { String(repeating: "v", count: 1_000) }
            // A deadline for the wait below: ending the subscriber ends its events.
            let deadline = Task {
                try await Task.sleep(for: .seconds(30))
                subscriber.shutdown()
            }
            defer { deadline.cancel() }
            var iterator = subscriber.events.makeAsyncIterator()
            guard case .message(_, let payload)? = await iterator.next() else {
                Issue.record("no fill message within 30 s")
                return
            }
            #expect(String(decoding: payload, as: UTF8.self) == "cache0 f alone")
        }
    }
}

/// The poll that a fill message may overtake (W4) and the factory run that hands its result over without a
/// watcher task leave nothing behind: no task, no ticket, no lock.
@Suite struct CachePollRaceTests {
    @Test func waitersPollingEveryMillisecondGetTheFillAndLeaveNothingBehind() async throws {
        var configuration = SharedCacheConfiguration()
        configuration.fillPollInterval = .milliseconds(1)
        try await withCaches(2, configuration: configuration) { _, caches in
            let filler = caches[0]
            let waiter = caches[1]
            let filling = Task {
                try await filler.getOrSet("busy") {
                    // Held until the waiter has polled a few times (each poll renews the waiting mark).
                    for _ in 0..<5 {
                        _ = try await eventually(attempts: 600) {
                            guard try await filler.client.send("DEL", filler.waitingKey("busy")).int == 1 else { throw NotYet() }
                            return true
                        }
                    }
                    return "made"
                }
            }
            _ = try await eventually(attempts: 600) {
                guard try await filler.client.send("EXISTS", filler.lockKey("busy")).int == 1 else { throw NotYet() }
                return true
            }
            let waited = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await waiter.getOrSet("busy") { () async throws -> String in "second" } }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(try await filling.value == "made")
            #expect(waited == Array(repeating: "made", count: 8))
            try await waitForNoHelperTasks(waiter)
            try await waitForNoHelperTasks(filler)
            #expect(waiter.fills.count == 0)
            #expect(try await filler.client.send("EXISTS", filler.lockKey("busy")).int == 0)
        }
    }

    @Test func aFactoryRunIsAwaitedAgainAfterATimeout() async throws {
        let helpers = HelperTasks()
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let run = FactoryRun(helpers: helpers) {
            for await _ in gate { break }
            return [7]
        }
        #expect(await run.outcome(within: .milliseconds(1)) == nil)
        open.yield()
        guard case .success(let bytes)? = await run.outcome(within: .seconds(3_600)) else {
            Issue.record("the factory's result was lost")
            return
        }
        #expect(bytes == [7])
        // The first wait's timer ended at its timeout, the second's with the factory.
        _ = try await eventually(attempts: 600) {
            guard helpers.count == 0 else { throw NotYet() }
            return true
        }
    }
}
