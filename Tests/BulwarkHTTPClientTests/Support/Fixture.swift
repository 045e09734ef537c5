import AsyncHTTPClient
import Bulwark
import BulwarkHTTPClient
import BulwarkTestSupport
import Logging
import NIOHTTP1
import RedisClient
import RedisTestSupport
import ServiceLifecycle
import Synchronization
import Testing

/// A real redis-server, a running Bulwark on it and a real upstream, for one test; stopped after it.
struct Fixture {
    let redis: RedisServerProcess
    let upstream: ScriptedUpstream
    let bulwark: Bulwark
    /// This test's own AsyncHTTPClient: `HTTPClient.shared` could hold an idle connection to a port an earlier
    /// test's upstream used, which a new upstream may get again.
    let http: HTTPClient

    /// Runs `body` with a fresh fixture, and stops everything it started whatever `body` does.
    static func with(_ body: (Fixture, EventLog) async throws -> Void) async throws {
        let redis = try await RedisServerProcess.start()
        let upstream = try await ScriptedUpstream.start()
        let bulwark = try Bulwark(redisURL: redis.url)
        let group = ServiceGroup(services: [bulwark], logger: Logger(label: "group"))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body(Fixture(redis: redis, upstream: upstream, bulwark: bulwark, http: http), EventLog())
        } catch {
            try? await http.shutdown()
            await group.triggerGracefulShutdown()
            await upstream.stop()
            await redis.shutdown()
            throw error
        }
        try await http.shutdown()
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await upstream.stop()
        await redis.shutdown()
    }

    /// A profile for tests: `retries` retries 1 ms apart, attempt timeout 5 s, total 20 s, the given breaker.
    static func profile(retries: Int = 2, breaker: CircuitBreakerConfiguration? = nil, attemptTimeout: Duration = .seconds(5))
        -> ResilienceProfile
    {
        ResilienceProfile(
            retry: RetryConfiguration(maxAttempts: retries + 1, backoff: .constant(.milliseconds(1)), maxRetryAfter: .seconds(5)),
            circuitBreaker: breaker,
            timeout: attemptTimeout,
            totalTimeout: .seconds(20)
        )
    }

    /// A client on this fixture's Bulwark: the test profile, no retry budget unless set, events into `events`.
    func client(
        _ events: EventLog,
        on bulwark: Bulwark? = nil,
        _ configure: (inout ResilientHTTPClientConfiguration) -> Void = { _ in }
    ) throws -> ResilientHTTPClient {
        var configuration = ResilientHTTPClientConfiguration(profile: Self.profile(), retryBudget: nil)
        configure(&configuration)
        return try ResilientHTTPClient(bulwark: bulwark ?? self.bulwark, configuration: configuration, httpClient: http) { events.record($0) }
    }
}

/// Every event a client reported, in order.
final class EventLog: Sendable {
    private let events = Mutex<[ResilientHTTPClientEvent]>([])

    func record(_ event: ResilientHTTPClientEvent) {
        events.withLock { if $0.count < 10_000 { $0.append(event) } }
    }

    var all: [ResilientHTTPClientEvent] { events.withLock { $0 } }

    /// The delays of the retries.
    var retryDelays: [Duration] {
        all.compactMap { if case .retrying(_, _, let delay, _) = $0 { delay } else { nil } }
    }

    /// The failure kinds of the retries.
    var retryKinds: [ResilienceError.Code?] {
        all.compactMap { if case .retrying(_, _, _, let kind) = $0 { kind } else { nil } }
    }

    var hedges: Int { all.filter { if case .hedging = $0 { true } else { false } }.count }

    /// Waits until `condition` holds of the events, failing the test after about 10 s.
    func wait(_ what: String, until condition: ([ResilientHTTPClientEvent]) -> Bool) async throws {
        for _ in 0..<1_000 {
            if condition(all) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }
}

/// Waits, polling, until `condition` holds; fails the test after about 10 s.
func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
    for _ in 0..<1_000 {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("timed out waiting until \(what)")
    throw CancellationError()
}
