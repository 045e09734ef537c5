import RedisClient
import RedisTestSupport
import Testing

@Suite struct PubSubTests {
    @Test func deliversChannelAndPatternMessages() async throws {
        try await withRedis { server, client in
            let subscriber = try RedisSubscriber(configuration: RedisConfiguration(url: server.url))
            defer { subscriber.shutdown() }
            try await subscriber.subscribe(channels: ["news"])
            try await subscriber.subscribe(patterns: ["bulwark:*"])
            #expect(subscriber.isSubscribed)
            #expect(try await client.send("PUBLISH", "news", [0, 1, 2] as [UInt8]) == .integer(1))
            #expect(try await client.send("PUBLISH", "bulwark:breakers", "open") == .integer(1))
            var iterator = subscriber.events.makeAsyncIterator()
            #expect(await iterator.next() == .message(channel: "news", payload: [0, 1, 2]))
            #expect(
                await iterator.next()
                    == .patternMessage(pattern: "bulwark:*", channel: "bulwark:breakers", payload: Array("open".utf8))
            )
            try await subscriber.unsubscribe(channels: ["news"])
            #expect(try await client.send("PUBLISH", "news", "unheard") == .integer(0))
        }
    }

    @Test func resubscribesAfterRestartAndReportsTheGap() async throws {
        try await withRedis { server, client in
            var configuration = try RedisConfiguration(url: server.url)
            configuration.maximumReconnectDelay = .milliseconds(100)
            let subscriber = try RedisSubscriber(configuration: configuration)
            defer { subscriber.shutdown() }
            try await subscriber.subscribe(channels: ["events"])
            var iterator = subscriber.events.makeAsyncIterator()

            try await server.kill()
            let gap = await next(&iterator) { if case .disconnected = $0 { true } else { false } }
            #expect(gap != nil)
            try await server.restart()
            let back = await next(&iterator) { $0 == .resubscribed }
            #expect(back == .resubscribed)

            let receivers = try await eventually { try await client.send("PUBLISH", "events", "after") }
            #expect(receivers == .integer(1))
            let message = await next(&iterator) { if case .message = $0 { true } else { false } }
            #expect(message == .message(channel: "events", payload: Array("after".utf8)))
        }
    }

    @Test func notices_a_silent_server_by_pinging() async throws {
        try await withRedis { server, client in
            var configuration = try RedisConfiguration(url: server.url)
            configuration.commandTimeout = .milliseconds(200)
            let subscriber = try RedisSubscriber(configuration: configuration, pingInterval: .milliseconds(100))
            defer { subscriber.shutdown() }
            try await subscriber.subscribe(channels: ["quiet"])
            var iterator = subscriber.events.makeAsyncIterator()
            try await server.pause()
            // No connection error comes from a paused server, only silence; the ping deadline must catch it.
            let gap = await next(&iterator) { if case .disconnected = $0 { true } else { false } }
            #expect(gap != nil)
            try await server.resume()
            let back = await next(&iterator) { $0 == .resubscribed }
            #expect(back == .resubscribed)
            let receivers = try await eventually { try await client.send("PUBLISH", "quiet", "x") }
            #expect(receivers == .integer(1))
        }
    }

    @Test func aRefusedSubscriptionFailsItsCallerAndSparesTheOthers() async throws {
        let user = RedisServerOptions.ACLUser(name: "limited", password: "limited-pass")
        let server = try await RedisServerProcess.start(RedisServerOptions(aclUser: user))
        do {
            let admin = try RedisClient(url: server.url)
            defer { admin.shutdown() }
            try await admin.send("ACL", "SETUSER", "limited", "resetchannels", "&allowed")
            var configuration = try RedisConfiguration(url: "redis://limited:limited-pass@127.0.0.1:\(server.port)")
            configuration.maximumReconnectDelay = .milliseconds(100)
            let subscriber = try RedisSubscriber(configuration: configuration)
            defer { subscriber.shutdown() }
            try await subscriber.subscribe(channels: ["allowed"])
            await #expect {
                try await subscriber.subscribe(channels: ["forbidden"])
            } throws: { error in
                (error as? RedisClientError)?.serverError?.code == "NOPERM"
            }
            #expect(subscriber.isSubscribed)
            let publisher = try RedisClient(url: server.url)
            defer { publisher.shutdown() }
            #expect(try await publisher.send("PUBLISH", "allowed", "still here") == .integer(1))
            var iterator = subscriber.events.makeAsyncIterator()
            #expect(await iterator.next() == .message(channel: "allowed", payload: Array("still here".utf8)))
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}
