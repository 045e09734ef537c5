/// One subscription's stream inside a ``RedisSubscriptionHub``, with the gap it owes its consumer.
///
/// The stream holds two events more than the hub's capacity, kept for a gap's announcement: when a message
/// leaves only one free place, ``RedisPubSubEvent/disconnected(reason:)`` takes it at once, so the consumer
/// learns of the gap right after the messages it still has, not only once messages flow again. Messages that
/// find the stream full are dropped; ``RedisPubSubEvent/resubscribed`` follows the first event that finds room
/// again while the connection is up, so the consumer re-reads after the last message it lost.
struct HubListener: Sendable {
    /// Places kept free for a gap's announcement.
    static let reserved = 2

    let channels: Set<String>
    let continuation: AsyncStream<RedisPubSubEvent>.Continuation
    /// Whether the consumer was told of a gap and not yet that it ended.
    private var gapAnnounced = false

    init(channels: Set<String>, continuation: AsyncStream<RedisPubSubEvent>.Continuation) {
        self.channels = channels
        self.continuation = continuation
    }

    /// Yields `event` when it concerns this listener, announcing a gap as the stream fills and its end once
    /// there is room and the connection is up (`connectionUp`, as the hub last heard).
    mutating func deliver(_ event: RedisPubSubEvent, connectionUp: Bool) {
        switch event {
        case .message(let channel, _) where !channels.contains(channel): return
        case .patternMessage: return
        case .disconnected where gapAnnounced: return  // told already
        default: break
        }
        guard case .enqueued(let remaining) = continuation.yield(event) else { return }
        if case .disconnected = event { gapAnnounced = true }
        if case .resubscribed = event { gapAnnounced = false }
        if gapAnnounced {
            // Room again after lost messages: their end, if messages flow (else the connection's own event will).
            if remaining >= 1, connectionUp, case .enqueued = continuation.yield(.resubscribed) { gapAnnounced = false }
        } else if remaining < Self.reserved {
            continuation.yield(.disconnected(reason: "the listener fell behind: messages may be dropped"))
            gapAnnounced = true
        }
    }
}
