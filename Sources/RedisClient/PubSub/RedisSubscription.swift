/// One listener's share of a ``RedisSubscriptionHub``: its channels' messages and every connection event.
public final class RedisSubscription: Sendable {
    /// The messages of this subscription's channels and the connection's events; one consumer. It ends at
    /// ``cancel()`` or when the hub shuts down; iterating it ends when the iterating task is cancelled.
    public let events: AsyncStream<RedisPubSubEvent>
    /// The channels this subscription listens to.
    public let channels: [String]
    private let subscriber: RedisSubscriber
    private let onCancel: @Sendable () -> Void

    init(events: AsyncStream<RedisPubSubEvent>, channels: [String], subscriber: RedisSubscriber, onCancel: @escaping @Sendable () -> Void) {
        self.events = events
        self.channels = channels
        self.subscriber = subscriber
        self.onCancel = onCancel
    }

    deinit { onCancel() }

    /// Subscribes the channels on the shared connection and waits until Redis confirms.
    ///
    /// The channels stay wanted even when this throws: they are subscribed as soon as Redis is reachable,
    /// which ``RedisPubSubEvent/resubscribed`` announces.
    /// - Throws: ``RedisClientError`` when Redis could not be reached in time.
    public func activate() async throws(RedisClientError) {
        try await subscriber.subscribe(channels: channels)
    }

    /// Stops delivering events to this subscription and finishes ``events``.
    public func cancel() {
        onCancel()
    }
}
