import BulwarkTestSupport
import Foundation
import RedisClient
import RedisTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A misconfigured Redis is not an outage: a real `bulwark serve` says `unhealthy` with the reason, is not
/// ready, logs Redis's own refusal once at error, and becomes ready by itself once Redis is fixed.
@Suite(.serialized) struct RedisRefusalHealthTests {
    static let token = "refusal-test-token-0123456789"

    @Test func aWrongPasswordMakesTheInstanceUnhealthyAndAFixedOneMakesItReady() async throws {
        let redis = try await RedisServerProcess.start(RedisServerOptions(password: "the-right-one"))
        defer { Task { await redis.shutdown() } }
        let serve = try await ServeProcess.start(
            redisURL: "redis://:what-it-was-given@127.0.0.1:\(redis.port)",
            instance: "wrong-password",
            adminToken: Self.token
        )
        defer { Task { await serve.process.terminate() } }
        try await expectRefused(serve, reason: "redis_auth_failed", redisSays: "WRONGPASS")

        let admin = try RedisClient(url: "redis://:the-right-one@127.0.0.1:\(redis.port)")
        defer { admin.shutdown() }
        try await admin.send("CONFIG", "SET", "requirepass", "what-it-was-given")
        try await expectReadyAgain(serve)
        #expect(!serve.process.text.contains("what-it-was-given"), "the password must never be logged")
    }

    @Test func aPasswordSentToARedisWithoutOneIsAnAuthenticationFailure() async throws {
        let redis = try await RedisServerProcess.start()
        defer { Task { await redis.shutdown() } }
        let serve = try await ServeProcess.start(
            redisURL: "redis://:needless-secret@127.0.0.1:\(redis.port)",
            instance: "needless-password",
            adminToken: Self.token
        )
        defer { Task { await serve.process.terminate() } }
        try await expectRefused(serve, reason: "redis_auth_failed", redisSays: "without any password configured")

        let admin = try RedisClient(url: redis.url)
        defer { admin.shutdown() }
        try await admin.send("CONFIG", "SET", "requirepass", "needless-secret")
        try await expectReadyAgain(serve)
    }

    @Test func anACLUserWithoutPermissionsIsPermissionDeniedUntilTheACLIsFixed() async throws {
        let user = RedisServerOptions.ACLUser(name: "operator", password: "operator-pass")
        let redis = try await RedisServerProcess.start(RedisServerOptions(aclUser: user))
        defer { Task { await redis.shutdown() } }
        let admin = try RedisClient(url: redis.url)
        defer { admin.shutdown() }
        try await admin.send("ACL", "SETUSER", "service", "reset", "on", ">service-pass")
        let serve = try await ServeProcess.start(
            redisURL: "redis://service:service-pass@127.0.0.1:\(redis.port)",
            instance: "no-permissions",
            adminToken: Self.token
        )
        defer { Task { await serve.process.terminate() } }
        try await expectRefused(serve, reason: "redis_permission_denied", redisSays: "NOPERM")

        try await admin.send("ACL", "SETUSER", "service", "+@all", "~*", "&*")
        try await expectReadyAgain(serve)
    }

    @Test func aDatabaseIndexRedisRefusesIsABadDatabase() async throws {
        let redis = try await RedisServerProcess.start(RedisServerOptions(extraArguments: ["--databases", "4"]))
        defer { Task { await redis.shutdown() } }
        let serve = try await ServeProcess.start(
            redisURL: "redis://127.0.0.1:\(redis.port)/9",
            instance: "bad-database",
            adminToken: Self.token
        )
        defer { Task { await serve.process.terminate() } }
        try await expectRefused(serve, reason: "redis_bad_database", redisSays: "DB index is out of range")
    }

    @Test func redisAtMaxmemoryIsReportedWithoutAFallbackAndWithoutFlapping() async throws {
        let redis = try await RedisServerProcess.start(RedisServerOptions(extraArguments: ["--maxmemory-policy", "noeviction"]))
        defer { Task { await redis.shutdown() } }
        let admin = try RedisClient(url: redis.url)
        defer { admin.shutdown() }
        let serve = try await ServeProcess.start(redisURL: redis.url, instance: "out-of-memory", adminToken: Self.token, arguments: ["--demo"])
        defer { Task { await serve.process.terminate() } }
        try await eventually(attempts: 200) {
            guard try await Self.get(serve, "/health").json["status"] as? String == "healthy" else { throw NotYet() }
        }

        try await admin.send("SET", "ballast", [UInt8](repeating: 1, count: 2 << 20))
        try await admin.send("CONFIG", "SET", "maxmemory", "1mb")
        let health = try await eventually(attempts: 400) { () async throws -> [String: Any] in
            let health = try await Self.get(serve, "/health").json
            guard health["reason"] as? String == "redis_out_of_memory" else { throw NotYet() }
            return health
        }
        #expect(health["status"] as? String == "degraded")
        #expect(health["sharedState"] as? String == "shared")
        // The demo traffic keeps writing: wait until Redis has refused many writes, then look at the log.
        try await eventually(attempts: 400) { guard try await Self.oomErrors(admin) >= 30 else { throw NotYet() } }
        let log = serve.process.text
        #expect(!log.contains("Redis unreachable"), "OOM must not send the instance to the fallback")
        #expect(Self.lines(of: log, containing: "Redis refuses").count == 1)
        #expect(try await Self.get(serve, "/health/ready").status == 200)
    }

    // MARK: - Helpers

    private func expectRefused(_ serve: ServeProcess, reason: String, redisSays fragment: String) async throws {
        let health = try await eventually(attempts: 400) { () async throws -> (status: Int, json: [String: Any]) in
            let health = try await Self.get(serve, "/health")
            guard health.json["reason"] as? String == reason else { throw NotYet() }
            return health
        }
        #expect(health.status == 503)
        #expect(health.json["status"] as? String == "unhealthy")
        #expect(health.json["sharedState"] as? String == "shared", "a refusal is not an outage: no fallback")
        let ready = try await Self.get(serve, "/health/ready")
        #expect(ready.status == 503)
        #expect((ready.json["reason"] as? String)?.hasPrefix(reason) == true)
        // Logged once, at error, with Redis's own words; never as an outage.
        let logged = try await eventually(attempts: 200) { () async throws -> [Substring] in
            let lines = Self.lines(of: serve.process.text, containing: "Redis refuses")
            guard !lines.isEmpty else { throw NotYet() }
            return lines
        }
        #expect(logged.count == 1)
        let namesTheError = logged.first.map { $0.contains("error") && $0.contains(fragment) }
        #expect(namesTheError == true, "\(logged)")
        #expect(
            Self.lines(of: serve.process.text, containing: "unreachable").isEmpty,
            "\(Self.lines(of: serve.process.text, containing: "unreachable"))"
        )
    }

    private func expectReadyAgain(_ serve: ServeProcess) async throws {
        let ready = try await eventually(attempts: 400) { () async throws -> [String: Any] in
            let ready = try await Self.get(serve, "/health/ready")
            guard ready.status == 200 else { throw NotYet() }
            return ready.json
        }
        #expect(ready["ready"] as? Bool == true)
        let health = try await eventually(attempts: 400) { () async throws -> [String: Any] in
            let health = try await Self.get(serve, "/health").json
            guard health["status"] as? String == "healthy" else { throw NotYet() }
            return health
        }
        #expect(health["reason"] == nil)
    }

    private static func lines(of text: String, containing fragment: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.contains(fragment) }
    }

    private static func get(_ serve: ServeProcess, _ path: String) async throws -> (status: Int, json: [String: Any]) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: serve.url + path)!)
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    private static func oomErrors(_ client: RedisClient) async throws -> Int {
        let info = try await client.send("INFO", "errorstats").string ?? ""
        guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("errorstat_OOM:") }),
            let count = line.split(separator: "=").last.flatMap({ Int($0) })
        else { return 0 }
        return count
    }
}

private struct NotYet: Error {}
