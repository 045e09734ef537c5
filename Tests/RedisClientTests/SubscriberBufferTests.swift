import RedisClient
import RedisTestSupport
import Synchronization
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

            let done = DoneFlag()
            let collector = Task { () -> [RedisPubSubEvent] in
                defer { done.set() }
                var events: [RedisPubSubEvent] = []
                for await event in subscriber.events {
                    events.append(event)
                    if event == .message(channel: "burst", payload: Array("after".utf8)) || events.count > 60 { break }
                }
                return events
            }
            // Published until the consumer, caught up, receives it.
            try await eventually(attempts: 400) {
                _ = try await client.send("PUBLISH", "burst", "after")
                guard done.isSet else { throw NotYet() }
            }
            let events = try await within(.seconds(20)) { await collector.value }
            let messages = events.prefix { if case .message = $0 { true } else { false } }
            // The oldest messages were kept, in order; then the gap, opened and closed; then messages again.
            let expected: [RedisPubSubEvent] = (0..<messages.count).map { .message(channel: "burst", payload: Array("\($0)".utf8)) }
            #expect(Array(messages) == expected)
            #expect(messages.count <= 4)
            guard events.count >= messages.count + 3, case .disconnected(let reason) = events[messages.count] else {
                Issue.record("expected the kept messages, a gap and 'after', got \(events)")
                return
            }
            #expect(reason.contains("full"))
            #expect(events[messages.count + 1] == .resubscribed)
            #expect(events.last == .message(channel: "burst", payload: Array("after".utf8)))
            // Burst messages still unread on the socket when the consumer caught up come after the gap: in
            // order, and never one delivered before it (the gap dropped what did not fit, nothing twice).
            let late = events.dropFirst(messages.count + 2).dropLast().map { event -> Int in
                guard case .message(_, let payload) = event, let index = Int(String(decoding: payload, as: UTF8.self)) else { return -1 }
                return index
            }
            let allAfterTheGap = late.allSatisfy { $0 >= messages.count && $0 < 20 }
            #expect(late == late.sorted() && allAfterTheGap, "\(late)")
        }
    }
}

/// Set once by one task, read by another.
private final class DoneFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
