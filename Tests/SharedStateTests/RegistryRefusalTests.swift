import BulwarkTestSupport
import Logging
import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Testing

/// A Redis that answers but refuses (OOM, a wrong password) is reported as such: the registry stays
/// shared, never enters the local fallback, never flaps, and recovers by itself once a write succeeds.
@Suite struct RegistryRefusalTests {
    private static let options = SharedBreakerOptions(
        instanceID: "refused",
        flushInterval: .milliseconds(20),
        recoveryProbeInterval: .milliseconds(20),
        heartbeatInterval: .milliseconds(50)
    )

    @Test func outOfMemoryIsReportedAndNeverSendsTheRegistryToTheFallback() async throws {
        let server = try await RedisServerProcess.start(RedisServerOptions(extraArguments: ["--maxmemory-policy", "noeviction"]))
        defer { Task { await server.shutdown() } }
        let admin = try RedisClient(url: server.url)
        defer { admin.shutdown() }
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        let log = LogCapture()
        let registry = try SharedBreakerRegistry(client: client, options: Self.options, logger: log.logger(level: .debug))
        let breaker = try registry.breaker(named: "oom-dependency", configuration: .init(failureThreshold: .consecutiveFailures(1_000)))
        let service = Task { try await registry.run() }
        defer { service.cancel() }
        try await eventually { guard try await InstanceDirectory().liveInstances(client: admin) == ["refused"] else { throw NotYet() } }

        try await admin.send("SET", "ballast", [UInt8](repeating: 1, count: 2 << 20))
        try await admin.send("CONFIG", "SET", "maxmemory", "1mb")
        // Failing calls make the registry flush (write) again and again; Redis refuses each with OOM.
        let refusedWrites = try await eventually(attempts: 400) { () async throws -> Int in
            for _ in 0..<5 { _ = try? await breaker.execute { throw DependencyDown() } }
            let refused = try await Self.oomErrors(admin)
            guard refused >= 30 else { throw NotYet() }
            return refused
        }
        #expect(refusedWrites >= 30)
        #expect(registry.redisRefusal?.kind == .outOfMemory)
        #expect(registry.redisRefusal?.message.hasPrefix("OOM") == true)
        #expect(registry.status == .shared)
        // Thirty refused writes later: no outage was announced, no fallback entered, one refusal logged.
        #expect(log.count(containing: "Redis unreachable") == 0)
        #expect(log.count(containing: "Redis refuses", at: .error) == 1)
        #expect(breaker.isDelegated)

        // Room again: the next heartbeat (a write) ends the refusal without a fallback episode.
        try await admin.send("CONFIG", "SET", "maxmemory", "0")
        // The end of the refusal is cleared, then logged: wait for the log line, the later of the two.
        try await eventually(attempts: 200) {
            guard log.count(containing: "accepts this instance's writes again") > 0 else { throw NotYet() }
        }
        #expect(registry.redisRefusal == nil)
        #expect(log.count(containing: "accepts this instance's writes again") == 1)
        #expect(log.count(containing: "Redis unreachable") == 0)
    }

    @Test func aWrongPasswordIsReportedAndAFixedOneRecoversWithoutARestart() async throws {
        let server = try await RedisServerProcess.start(RedisServerOptions(password: "the-right-one"))
        defer { Task { await server.shutdown() } }
        let admin = try RedisClient(url: "redis://:the-right-one@127.0.0.1:\(server.port)")
        defer { admin.shutdown() }
        var configuration = try RedisConfiguration(url: "redis://:what-we-were-given@127.0.0.1:\(server.port)")
        configuration.maximumReconnectDelay = .milliseconds(50)
        let client = try RedisClient(configuration: configuration)
        defer { client.shutdown() }
        let log = LogCapture()
        let registry = try SharedBreakerRegistry(client: client, options: Self.options, logger: log.logger(level: .debug))
        _ = try registry.breaker(named: "auth-dependency")
        let service = Task { try await registry.run() }
        defer { service.cancel() }

        let refusal = try await eventually(attempts: 200) { () async throws -> SharedStateRefusal in
            guard let refusal = registry.redisRefusal else { throw NotYet() }
            return refusal
        }
        #expect(refusal.kind == .authenticationFailed)
        #expect(refusal.message.hasPrefix("WRONGPASS"))
        #expect(registry.status == .shared)
        #expect(log.count(containing: "Redis unreachable") == 0)
        #expect(log.count(containing: "Redis refuses", at: .error) == 1)
        #expect(!log.text.contains("what-we-were-given"))

        // The operator gives Redis the password the instance has: it recovers by itself.
        try await admin.send("CONFIG", "SET", "requirepass", "what-we-were-given")
        try await eventually(attempts: 200) { guard registry.redisRefusal == nil else { throw NotYet() } }
        #expect(try await InstanceDirectory().liveInstances(client: client) == ["refused"])
    }

    private static func oomErrors(_ client: RedisClient) async throws -> Int {
        let info = try await client.send("INFO", "errorstats").string ?? ""
        guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("errorstat_OOM:") }),
            let count = line.split(separator: "=").last.flatMap({ Int($0) })
        else { return 0 }
        return count
    }
}

private struct DependencyDown: Error {}
