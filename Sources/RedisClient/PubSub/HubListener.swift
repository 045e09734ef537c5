/// One subscription's stream inside a ``RedisSubscriptionHub``, with the gap it owes its consumer.
struct HubListener: Sendable {
    /// What the consumer was last told about messages it lost because its stream was full.
    private enum Gap {
        case none
        /// Messages were dropped; ``RedisPubSubEvent/disconnected(reason:)`` is owed.
        case dropped
        /// The gap was announced; ``RedisPubSubEvent/resubscribed`` is owed.
        case announced
    }

    let channels: Set<String>
    let continuation: AsyncStream<RedisPubSubEvent>.Continuation
    private var gap = Gap.none

    init(channels: Set<String>, continuation: AsyncStream<RedisPubSubEvent>.Continuation) {
        self.channels = channels
        self.continuation = continuation
    }

    /// Yields `event` when it concerns this listener, first settling a gap it owes; an event that finds the
    /// stream full is dropped and opens a gap.
    mutating func deliver(_ event: RedisPubSubEvent) {
        switch event {
        case .message(let channel, _) where !channels.contains(channel): return
        case .patternMessage: return
        default: break
        }
        if gap == .dropped {
            guard case .enqueued = continuation.yield(.disconnected(reason: "the listener fell behind: messages were dropped")) else { return }
            gap = .announced
        }
        if gap == .announced {
            guard case .enqueued = continuation.yield(.resubscribed) else { return }
            gap = .none
        }
        if case .dropped = continuation.yield(event) { gap = .dropped }
    }
}
