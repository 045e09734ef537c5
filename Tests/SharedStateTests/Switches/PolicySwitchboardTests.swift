import Logging
import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Synchronization
import Testing

/// A failure the retry retries.
private struct DependencyDown: Error, ResilienceClassifiable {
    var resilienceKind: ResilienceError.Code { .unavailable }
}

/// Two instances (two clients, two switchboards) on one real redis-server: a switch changed through one is
/// obeyed by both, and an instance that missed a change or lost Redis converges on Redis's state.
@Suite(.serialized) struct PolicySwitchboardTests {
    /// One instance: its client, its switchboard (running) and its `payments` pipeline, which retries twice.
    private struct Instance {
        let client: RedisClient
        let board: PolicySwitchboard
        let pipeline: PolicyPipeline
        let service: Task<Void, any Error>

        init(redis: RedisServerProcess, prefix: String, resynchronization: Duration = .seconds(10)) throws {
            var logger = Logger(label: "switches")
            logger.logLevel = .critical
            var configuration = try RedisConfiguration(url: redis.url)
            configuration.commandTimeout = .milliseconds(250)
            configuration.maximumReconnectDelay = .milliseconds(100)
            client = try RedisClient(configuration: configuration, logger: logger)
            let board = try PolicySwitchboard(client: client, keyPrefix: prefix, resynchronizationInterval: resynchronization, logger: logger)
            self.board = board
            pipeline = PolicyPipeline(
                name: "payments",
                retry: try RetryPolicy(configuration: RetryConfiguration(maxAttempts: 3, backoff: .constant(.milliseconds(1)))),
                switches: try board.switches(forPipeline: "payments")
            )
            service = Task { try await board.run() }
        }

        /// Runs a call that always fails; answers how many attempts it made.
        func attemptsOfAFailingCall() async -> Int {
            let attempts = Atomic<Int>(0)
            _ = try? await pipeline.execute { () async throws -> Int in
                attempts.add(1, ordering: .relaxed)
                throw DependencyDown()
            }
            return attempts.load(ordering: .relaxed)
        }

        func stop() async {
            service.cancel()
            _ = try? await service.value
            client.shutdown()
        }
    }

    /// Waits, polling, until `condition` holds; fails the test after `attempts` tries.
    private func waitUntil(_ what: String, attempts: Int = 500, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<attempts {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }

    @Test func switchingRetryOffThroughOneInstanceStopsRetriesInBoth() async throws {
        let redis = try await RedisServerProcess.start()
        let first = try Instance(redis: redis, prefix: "kill")
        let second = try Instance(redis: redis, prefix: "kill")
        try await waitUntil("both follow the fleet") { first.board.status == .shared && second.board.status == .shared }
        #expect(await first.attemptsOfAFailingCall() == 3)
        #expect(await second.attemptsOfAFailingCall() == 3)

        let change = try await first.board.change("payments", [.retry], on: false)
        #expect(change?.scope == .fleet)
        #expect(change?.state.off == ["retry"])
        try await waitUntil("the other instance switched retry off") { !second.pipeline.switches.isOn(.retry) }
        #expect(!first.pipeline.switches.isOn(.retry))
        #expect(await first.attemptsOfAFailingCall() == 1)
        #expect(await second.attemptsOfAFailingCall() == 1)
        #expect(try await first.board.store.all() == [PolicySwitchState(pipeline: "payments", mask: PolicyKind.retry.bit)])

        _ = try await second.board.change("payments", [.retry], on: true)
        try await waitUntil("the first instance switched retry back on") { first.pipeline.switches.isOn(.retry) }
        #expect(await first.attemptsOfAFailingCall() == 3)
        #expect(await second.attemptsOfAFailingCall() == 3)

        #expect(try await first.board.change("nobody-has-it", [.retry], on: false) == nil)
        await first.stop()
        await second.stop()
        await redis.shutdown()
    }

    @Test func anInstanceThatMissedAChangeConvergesOnRedissState() async throws {
        let redis = try await RedisServerProcess.start()
        let instance = try Instance(redis: redis, prefix: "converge", resynchronization: .milliseconds(200))
        try await waitUntil("registered in Redis") { try await instance.board.store.all().count == 1 }
        // Written without the message, as a change published while the instance's subscription was down.
        let writer = try RedisClient(url: redis.url)
        defer { writer.shutdown() }
        try await writer.send("HSET", "converge:switches", "payments", String(PolicyKind.mask(of: [.retry, .timeout])))
        try await waitUntil("the instance read the state again") { instance.pipeline.switches.off == [.retry, .timeout] }
        #expect(await instance.attemptsOfAFailingCall() == 1)
        await instance.stop()
        await redis.shutdown()
    }

    @Test func whileRedisIsAwayASwitchIsLocalAndRedisWinsWhenItReturns() async throws {
        let redis = try await RedisServerProcess.start()
        let instance = try Instance(redis: redis, prefix: "away", resynchronization: .milliseconds(200))
        try await waitUntil("the instance follows the fleet") { instance.board.status == .shared }
        try await redis.pause()
        try await waitUntil("the instance says its switches are local") { instance.board.status == .local }
        let local = try await instance.board.change("payments", [.retry], on: false)
        #expect(local?.scope == .local)
        #expect(await instance.attemptsOfAFailingCall() == 1)
        try await redis.resume()
        try await waitUntil("the instance follows the fleet again") { instance.board.status == .shared }
        try await waitUntil("Redis's state (retry on) won") { instance.pipeline.switches.isOn(.retry) }
        #expect(await instance.attemptsOfAFailingCall() == 3)
        await instance.stop()
        await redis.shutdown()
    }

    @Test func configuredSwitchesSeedTheFleetUnlessItHasSome() async throws {
        let redis = try await RedisServerProcess.start()
        let client = try RedisClient(url: redis.url)
        defer { client.shutdown() }
        let board = try PolicySwitchboard(client: client, keyPrefix: "seed", initiallyOff: ["payments": [.hedging]])
        let switches = try board.switches(forPipeline: "payments")
        #expect(switches.off == [.hedging])
        #expect(board.status == .local)
        let service = Task { try await board.run() }
        try await waitUntil("seeded in Redis") {
            try await board.store.all() == [PolicySwitchState(pipeline: "payments", mask: PolicyKind.hedging.bit)]
        }
        #expect(throws: SharedStateError.self) { try board.switches(forPipeline: "bad name") }
        #expect(throws: SharedStateError.self) { try PolicySwitchboard(client: client, initiallyOff: ["{x}": [.retry]]) }
        service.cancel()
        _ = try? await service.value
        await redis.shutdown()
    }
}
