import RedisClient
import RedisTestSupport
import Testing

/// The subscriber's event buffer is bounded; a consumer that falls behind is told of the gap.
@Suite struct SubscriberBufferTests {
    @Test func aConsumerThatFallsBehindGetsAGapInsteadOfUnboundedMemory() async throws {
        try await withRedis { server, client in
            let subscriber = try RedisSubscriber(
                configuration: RedisConfiguration(url: server.url),
                pingInterval: .milliseconds(50),
                eventBufferCapacity: 4
            )
            defer { subscriber.shutdown() }
            try await subscriber.subscribe(channels: ["burst"])
            for index in 0..<20 { try await client.send("PUBLISH", "burst", index) }
            // Nobody consumes yet: the buffer fills, and the rest is dropped (and counted).
            try await eventually(attempts: 200) { guard subscriber.droppedMessages > 0 else { throw NotYet() } }

            let collector = Task { () -> [RedisPubSubEvent] in
                var events: [RedisPubSubEvent] = []
                for await event in subscriber.events {
                    events.append(event)
                    if event == .resubscribed || events.count > 40 { break }
                }
                return events
            }
            let events = try await within(.seconds(20)) { await collector.value }
            collector.cancel()
            let messages = events.prefix { if case .message = $0 { true } else { false } }
            // The oldest messages were kept, in order; then the gap, opened and closed.
            let expected: [RedisPubSubEvent] = (0..<messages.count).map { .message(channel: "burst", payload: Array("\($0)".utf8)) }
            #expect(Array(messages) == expected)
            #expect(messages.count <= 4)
            #expect(events.count == messages.count + 2)
            guard events.count == messages.count + 2, case .disconnected(let reason) = events[messages.count] else {
                Issue.record("expected a gap after the kept messages, got \(events)")
                return
            }
            #expect(reason.contains("full"))
            #expect(events.last == .resubscribed)

            // Messages flow again once the consumer has caught up.
            let after = Task { () -> RedisPubSubEvent? in
                for await event in subscriber.events { return event }
                return nil
            }
            _ = try await client.send("PUBLISH", "burst", "after")
            #expect(try await within(.seconds(20)) { await after.value } == .message(channel: "burst", payload: Array("after".utf8)))
        }
    }
}
