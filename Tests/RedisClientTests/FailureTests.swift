import RedisClient
import RedisTestSupport
import Testing

@Suite struct FailureTests {
    @Test func refusedConnectionFailsFastWithTypedError() async throws {
        // Start and stop a server to get a port that nothing listens on.
        let server = try await RedisServerProcess.start()
        let url = server.url
        await server.shutdown()
        let client = try RedisClient(url: url)
        defer { client.shutdown() }
        await #expect {
            try await client.send("PING")
        } throws: { error in
            (error as? RedisClientError)?.code == .connectionRefused
        }
        // Within the backoff window the next command is refused without another connect attempt.
        await #expect {
            try await client.send("PING")
        } throws: { error in
            let code = (error as? RedisClientError)?.code
            return code == .connectionUnavailable || code == .connectionRefused
        }
    }

    @Test func pausedServerTimesOutInsteadOfHanging() async throws {
        try await withRedis(configure: { $0.commandTimeout = .milliseconds(200) }) { server, client in
            try await client.send("SET", "k", "v")
            try await server.pause()
            let clock = ContinuousClock()
            let start = clock.now
            await #expect {
                try await client.send("GET", "k")
            } throws: { error in
                (error as? RedisClientError)?.code == .timedOut
            }
            // Not a speed check: a hung command would never get here; this bounds "never hangs" generously.
            #expect(clock.now - start < .seconds(5))
            try await server.resume()
            let value = try await eventually { try await client.send("GET", "k").string }
            #expect(value == "v")
        }
    }

    @Test func reconnectsAfterRestart() async throws {
        try await withRedis(configure: { $0.maximumReconnectDelay = .milliseconds(100) }) { server, client in
            try await client.send("SET", "before", "1")
            try await server.kill()
            await #expect(throws: RedisClientError.self) { try await client.send("GET", "before") }
            try await server.restart()
            // Persistence is off: the restarted server is empty, and the client works again by itself.
            let reply = try await eventually { try await client.send("SET", "after", "2") }
            #expect(reply.string == "OK")
            #expect(try await client.send("GET", "before").isNull)
            #expect(client.isConnected)
        }
    }

    @Test func passwordIsRequiredAndNeverEchoed() async throws {
        let secret = "correct-horse-battery"
        let server = try await RedisServerProcess.start(RedisServerOptions(password: secret))
        defer { Task { await server.shutdown() } }
        let good = try RedisClient(url: "redis://:\(secret)@127.0.0.1:\(server.port)")
        defer { good.shutdown() }
        #expect(try await good.send("PING").string == "PONG")

        let wrong = try RedisClient(url: "redis://:not-\(secret)@127.0.0.1:\(server.port)")
        defer { wrong.shutdown() }
        do {
            try await wrong.send("PING")
            Issue.record("a wrong password must not connect")
        } catch {
            #expect(error.code == .serverError)
            #expect(!error.description.contains(secret))
        }

        let none = try RedisClient(url: "redis://127.0.0.1:\(server.port)")
        defer { none.shutdown() }
        await #expect {
            try await none.send("GET", "k")
        } throws: { error in
            (error as? RedisClientError)?.serverError?.code == "NOAUTH"
        }
        await server.shutdown()
    }

    @Test func aclUserAuthenticates() async throws {
        let user = RedisServerOptions.ACLUser(name: "svc", password: "svc-pass")
        let server = try await RedisServerProcess.start(RedisServerOptions(aclUser: user))
        let client = try RedisClient(url: "redis://svc:svc-pass@127.0.0.1:\(server.port)")
        defer { client.shutdown() }
        let whoami = try await client.send("ACL", "WHOAMI").string
        await server.shutdown()
        #expect(whoami == "svc")
    }

    @Test func unixSocketWorks() async throws {
        let server = try await RedisServerProcess.start(RedisServerOptions(unixSocketPath: "redis.sock"))
        let path = try #require(server.unixSocketPath)
        let client = try RedisClient(url: "unix://\(path)?db=1")
        defer { client.shutdown() }
        try await client.send("SET", "via", "unix")
        let value = try await client.send("GET", "via").string
        await server.shutdown()
        #expect(value == "unix")
    }
}
