import RedisClient
import RedisTestSupport
import Testing

/// One pub/sub connection shared by a process's listeners (`RedisSubscriptionHub`), against a real redis-server.
@Suite struct SubscriptionHubTests {
    private func pubSubConnections(_ client: RedisClient) async throws -> Int {
        let list = try await client.send("CLIENT", "LIST", "TYPE", "pubsub").string ?? ""
        return list.split(separator: "\n").count
    }

    /// Two listeners on one client hold one connection between them, and each hears only its own channels.
    @Test func listenersShareOneConnectionAndHearTheirOwnChannels() async throws {
        try await withRedis { server, client in
            let hub = client.subscriptions
            let breakers = try hub.subscribe(channels: ["breakers"])
            let cache = try hub.subscribe(channels: ["cache"])
            try await breakers.activate()
            try await cache.activate()
            #expect(try await pubSubConnections(client) == 1)
            #expect(try await client.send("PUBLISH", "breakers", "open") == .integer(1))
            #expect(try await client.send("PUBLISH", "cache", "gone") == .integer(1))
            var breakerEvents = breakers.events.makeAsyncIterator()
            var cacheEvents = cache.events.makeAsyncIterator()
            #expect(await breakerEvents.next() == .message(channel: "breakers", payload: Array("open".utf8)))
            #expect(await cacheEvents.next() == .message(channel: "cache", payload: Array("gone".utf8)))
            // A cancelled listener's stream ends; the other keeps listening.
            breakers.cancel()
            #expect(await breakerEvents.next() == nil)
            #expect(try await client.send("PUBLISH", "cache", "again") == .integer(1))
            #expect(await cacheEvents.next() == .message(channel: "cache", payload: Array("again".utf8)))
        }
    }

    /// A listener that falls behind loses messages and is told of a gap; the others lose nothing.
    @Test func aListenerBehindIsToldOfTheGapAndSparesTheOthers() async throws {
        try await withRedis { server, client in
            let hub = try RedisSubscriptionHub(configuration: RedisConfiguration(url: server.url), eventBufferCapacity: 4)
            defer { hub.shutdown() }
            let slow = try hub.subscribe(channels: ["events"])
            let fast = try hub.subscribe(channels: ["events"])
            try await slow.activate()
            try await fast.activate()
            var fastEvents = fast.events.makeAsyncIterator()
            for index in 0..<20 {
                try await client.send("PUBLISH", "events", "\(index)")
                #expect(await fastEvents.next() == .message(channel: "events", payload: Array("\(index)".utf8)))
            }
            // The slow listener's stream (4 places, and 2 kept for the gap) took five messages and the gap's
            // announcement at once, before any message flows again.
            var slowEvents = slow.events.makeAsyncIterator()
            var heard: [RedisPubSubEvent] = []
            for _ in 0..<6 { heard.append(await slowEvents.next() ?? .resubscribed) }
            let firstFive = (0..<5).map { RedisPubSubEvent.message(channel: "events", payload: Array("\($0)".utf8)) }
            #expect(heard == firstFive + [.disconnected(reason: "the listener fell behind: messages may be dropped")])
            // Room again: the next message comes, then the gap's end, so the consumer re-reads after what it lost.
            try await client.send("PUBLISH", "events", "later")
            #expect(await slowEvents.next() == .message(channel: "events", payload: Array("later".utf8)))
            #expect(await slowEvents.next() == .resubscribed)
        }
    }

    /// A restart of Redis is a gap for every listener, and both hear messages again after it.
    @Test func aRestartIsAGapForEveryListener() async throws {
        try await withRedis { server, client in
            var configuration = try RedisConfiguration(url: server.url)
            configuration.maximumReconnectDelay = .milliseconds(100)
            let hub = try RedisSubscriptionHub(configuration: configuration)
            defer { hub.shutdown() }
            let first = try hub.subscribe(channels: ["a"])
            let second = try hub.subscribe(channels: ["b"])
            try await first.activate()
            try await second.activate()
            var firstEvents = first.events.makeAsyncIterator()
            var secondEvents = second.events.makeAsyncIterator()
            try await server.kill()
            let firstGap = await next(&firstEvents) { if case .disconnected = $0 { true } else { false } }
            let secondGap = await next(&secondEvents) { if case .disconnected = $0 { true } else { false } }
            #expect(firstGap != nil)
            #expect(secondGap != nil)
            try await server.restart()
            let firstBack = await next(&firstEvents) { $0 == .resubscribed }
            let secondBack = await next(&secondEvents) { $0 == .resubscribed }
            #expect(firstBack == .resubscribed)
            #expect(secondBack == .resubscribed)
            let receivers = try await eventually { try await client.send("PUBLISH", "b", "back") }
            #expect(receivers == .integer(1))
            let message = await next(&secondEvents) { if case .message = $0 { true } else { false } }
            #expect(message == .message(channel: "b", payload: Array("back".utf8)))
        }
    }

    /// Bounded: past the channel limit, or after shutdown, a subscription is refused with a clear error.
    @Test func refusesPastItsLimitAndAfterShutdown() async throws {
        try await withRedis { server, client in
            let hub = try RedisSubscriptionHub(configuration: RedisConfiguration(url: server.url))
            let channels = (0...RedisSubscriptionHub.maximumChannels).map { "channel-\($0)" }
            #expect(throws: RedisClientError.self) { _ = try hub.subscribe(channels: channels) }
            let kept = try hub.subscribe(channels: ["kept"])
            hub.shutdown()
            var events = kept.events.makeAsyncIterator()
            #expect(await events.next() == nil)
            do throws(RedisClientError) {
                _ = try hub.subscribe(channels: ["late"])
                Issue.record("a shut-down hub took a subscription")
            } catch {
                #expect(error.code == .clientClosed)
            }
        }
    }
}
