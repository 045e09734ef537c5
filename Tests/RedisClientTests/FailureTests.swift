import RedisClient
import RedisTestSupport
import Testing

@Suite struct FailureTests {
    @Test func refusedConnectionFailsFastWithTypedError() async throws {
        // Start and stop a server to get a port that nothing listens on.
        let server = try await RedisServerProcess.start()
        let url = server.url
        await server.shutdown()
        var configuration = try RedisConfiguration(url: url)
        configuration.initialReconnectDelay = .seconds(30)
        configuration.maximumReconnectDelay = .seconds(30)
        configuration.poolSize = 1
        let client = try RedisClient(configuration: configuration)
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
            (error as? RedisClientError)?.code == .connectionUnavailable
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
            #expect(error.serverError?.code == "WRONGPASS")
            #expect(!error.description.contains(secret))
            #expect(!error.message.contains(secret))
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
        let info = try await client.send("CLIENT", "INFO").string ?? ""
        await server.shutdown()
        #expect(value == "unix")
        #expect(info.contains(" db=1 "))
    }

    @Test func writingToAConnectionRedisClosedFailsInsteadOfKillingTheProcess() async throws {
        try await withRedis(configure: { $0.poolSize = 1 }) { server, client in
            try await client.send("PING")
            let killer = try RedisClient(url: server.url)
            defer { killer.shutdown() }
            try await killer.send("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
            // Larger than the socket buffer: the write meets the reset. Without SIGPIPE blocked, this ends the test run.
            let big = [UInt8](repeating: 7, count: 4 << 20)
            await #expect(throws: RedisClientError.self) { try await client.send("SET", "big", big) }
            let value = try await eventually { try await client.send("SET", "small", "ok") }
            #expect(value.string == "OK")
        }
    }

    @Test func refusesCommandsThatWouldDesynchroniseASharedConnection() async throws {
        try await withRedis { (_: RedisServerProcess, client: RedisClient) async throws -> Void in
            for command in [RedisCommand("SUBSCRIBE", "x"), RedisCommand("MULTI"), RedisCommand("SELECT", 2), RedisCommand("CLIENT", "REPLY", "OFF")]
            {
                await #expect {
                    try await client.send(command)
                } throws: { error in
                    (error as? RedisClientError)?.code == .invalidConfiguration
                }
            }
            // The connection is untouched and transactions still work through their own API.
            #expect(try await client.transaction([RedisCommand("SET", "t", "1")]) == [.simpleString(Array("OK".utf8))])
            #expect(try await client.send("CLIENT", "LIST").string != nil)
        }
    }
}
