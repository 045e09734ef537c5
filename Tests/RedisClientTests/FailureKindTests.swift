import RedisClient
import RedisTestSupport
import Testing

/// `RedisFailureKind` tells "Redis is away" from "Redis answers but refuses us", on real servers.
@Suite struct FailureKindTests {
    private func failure(_ url: String, configure: (inout RedisConfiguration) -> Void = { _ in }, _ command: RedisCommand = RedisCommand("PING"))
        async throws -> RedisClientError
    {
        var configuration = try RedisConfiguration(url: url)
        configuration.poolSize = 1
        configure(&configuration)
        let client = try RedisClient(configuration: configuration)
        defer { client.shutdown() }
        do {
            try await client.send(command)
        } catch {
            return error
        }
        Issue.record("\(command.name) was expected to fail")
        return RedisClientError(.unexpectedReply, "no failure")
    }

    @Test func aRefusedPasswordIsAnAuthenticationFailureNotAnOutage() async throws {
        let secret = "right-password-123"
        let server = try await RedisServerProcess.start(RedisServerOptions(password: secret))
        defer { Task { await server.shutdown() } }
        let wrong = try await failure("redis://:wrong-password@127.0.0.1:\(server.port)")
        #expect(wrong.failureKind == .authenticationFailed)
        #expect(wrong.serverError?.code == "WRONGPASS")
        #expect(!wrong.isTransient)
        let missing = try await failure("redis://127.0.0.1:\(server.port)")
        #expect(missing.failureKind == .authenticationFailed)
        #expect(missing.serverError?.code == "NOAUTH")
        #expect(!wrong.description.contains(secret) && !missing.description.contains(secret))
    }

    @Test func aRefusalStaysARefusalWhileTheClientWaitsToReconnect() async throws {
        let server = try await RedisServerProcess.start(RedisServerOptions(password: "right-password-123"))
        defer { Task { await server.shutdown() } }
        var configuration = try RedisConfiguration(url: "redis://:wrong-password@127.0.0.1:\(server.port)")
        configuration.poolSize = 1
        configuration.initialReconnectDelay = .seconds(30)
        configuration.maximumReconnectDelay = .seconds(30)
        let client = try RedisClient(configuration: configuration)
        defer { client.shutdown() }
        let first = await errorOf { try await client.send("PING") }
        // Within the backoff no connect is attempted, and the answer is still what Redis said, not an outage.
        let second = await errorOf { try await client.send("PING") }
        #expect(first?.failureKind == .authenticationFailed)
        #expect(second?.failureKind == .authenticationFailed)
        #expect(second?.serverError?.code == "WRONGPASS")
    }

    @Test func aPasswordSentToARedisWithoutOneIsAnAuthenticationFailure() async throws {
        let server = try await RedisServerProcess.start()
        defer { Task { await server.shutdown() } }
        let error = try await failure("redis://:unexpected-password@127.0.0.1:\(server.port)")
        #expect(error.failureKind == .authenticationFailed)
        #expect(error.connectStep == "AUTH")
        // Redis's own words, never the password.
        #expect(error.serverError?.message.contains("without any password configured") == true)
        #expect(!error.description.contains("unexpected-password"))
    }

    @Test func anACLUserWithoutPermissionIsPermissionDenied() async throws {
        let user = RedisServerOptions.ACLUser(name: "limited", password: "limited-pass")
        let server = try await RedisServerProcess.start(RedisServerOptions(aclUser: user))
        defer { Task { await server.shutdown() } }
        let admin = try RedisClient(url: server.url)
        defer { admin.shutdown() }
        try await admin.send("ACL", "SETUSER", "narrow", "reset", "on", ">narrow-pass", "+ping")
        let url = "redis://narrow:narrow-pass@127.0.0.1:\(server.port)"
        let denied = try await failure(url, RedisCommand("SET", "k", "v"))
        #expect(denied.failureKind == .permissionDenied)
        #expect(denied.failureKind.isMisconfiguration)
        // Without even PING, the connect itself is refused: the same kind, not an outage.
        try await admin.send("ACL", "SETUSER", "narrow", "-ping")
        let atConnect = try await failure(url)
        #expect(atConnect.failureKind == .permissionDenied)
        #expect(atConnect.connectStep == "PING")
    }

    @Test func aDatabaseBeyondTheServersCountIsABadDatabase() async throws {
        let server = try await RedisServerProcess.start(RedisServerOptions(extraArguments: ["--databases", "4"]))
        defer { Task { await server.shutdown() } }
        let error = try await failure("redis://127.0.0.1:\(server.port)/9")
        #expect(error.failureKind == .badDatabase)
        #expect(error.serverError?.message.contains("out of range") == true)
    }

    @Test func writesRefusedAtMaxmemoryAreOutOfMemoryWhileReadsWork() async throws {
        let server = try await RedisServerProcess.start(RedisServerOptions(extraArguments: ["--maxmemory-policy", "noeviction"]))
        defer { Task { await server.shutdown() } }
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        try await client.send("SET", "ballast", [UInt8](repeating: 1, count: 2 << 20))
        try await client.send("CONFIG", "SET", "maxmemory", "1mb")
        let error = try await failure(server.url, RedisCommand("SET", "k", "v"))
        #expect(error.failureKind == .outOfMemory)
        let inScript = try await failure(server.url, RedisCommand("EVAL", "return redis.call('SET', KEYS[1], 'v')", 1, "k"))
        #expect(inScript.failureKind == .outOfMemory)
        #expect(try await client.send("PING").string == "PONG")
        #expect(try await client.send("STRLEN", "ballast").int == 2 << 20)
    }

    @Test func scriptAndCommandErrorsAreNeitherOutagesNorMisconfiguration() async throws {
        let server = try await RedisServerProcess.start()
        defer { Task { await server.shutdown() } }
        let compile = try await failure(server.url, RedisCommand("EVAL", "retur", 0))
        #expect(compile.failureKind == .scriptError)
        let runtime = try await failure(server.url, RedisCommand("EVAL", "return nosuch()", 0))
        #expect(runtime.failureKind == .scriptError)
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        try await client.send("SET", "text", "x")
        let wrongType = try await failure(server.url, RedisCommand("LPUSH", "text", "y"))
        #expect(wrongType.failureKind == .commandRejected)
        #expect(!wrongType.failureKind.isUnreachable && !wrongType.failureKind.isMisconfiguration)
    }

    @Test func refusedTimedOutAndBusyServersAreUnreachable() async throws {
        let server = try await RedisServerProcess.start()
        let url = server.url
        await server.shutdown()
        let refused = try await failure(url)
        #expect(refused.failureKind == .unreachable)
        #expect(refused.isTransient)
        for reply in [
            "LOADING Redis is loading the dataset in memory", "BUSY Redis is busy running a script", "MASTERDOWN Link with MASTER is down",
            "TRYAGAIN Multiple keys request during rehashing", "CLUSTERDOWN The cluster is down",
        ] {
            #expect(RedisFailureKind(serverError: RedisServerError(reply: reply)) == .unreachable, "\(reply)")
        }
        #expect(RedisFailureKind(serverError: RedisServerError(reply: "OOM command not allowed")) == .outOfMemory)
        #expect(RedisFailureKind(serverError: RedisServerError(reply: "NOPERM no permissions")) == .permissionDenied)
    }
}
