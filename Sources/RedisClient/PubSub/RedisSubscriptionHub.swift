import Logging
import Synchronization

/// One pub/sub connection shared by every listener of a process: each ``subscribe(channels:)`` gets a stream
/// of its own channels' messages and of every connection event.
///
/// A ``RedisClient`` owns one (``RedisClient/subscriptions``), so the shared breakers, the cache, the dashboard
/// feed and the dead-letter listener of a process hold one subscriber connection between them, not one each.
/// The connection (a ``RedisSubscriber``) opens at the first subscription.
///
/// Channels stay subscribed until the hub shuts down: the hub is for a process's long-lived listeners, on a
/// fixed set of channels, at most ``maximumChannels``. Every listener's stream holds at most
/// ``eventBufferCapacity`` events (and two more, kept for a gap's announcement); a listener that falls behind
/// is told as for a broken connection as soon as its stream is nearly full
/// (``RedisPubSubEvent/disconnected(reason:)``), loses the messages that find it full, and is told
/// ``RedisPubSubEvent/resubscribed`` once it has room again, without holding up the others.
public final class RedisSubscriptionHub: Sendable {
    /// The most channels the hub subscribes to.
    public static let maximumChannels = 64
    /// How many events may wait for each listener before its messages are dropped (and a gap announced).
    public let eventBufferCapacity: Int

    private let configuration: RedisConfiguration
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var subscriber: RedisSubscriber?
        var channels: Set<String> = []
        var listeners: [Int: HubListener] = [:]
        /// Whether the connection is up, as its last event said.
        var connectionUp = true
        var nextListener = 0
        var closed = false
    }

    /// Creates a hub; nothing connects until the first subscription.
    /// - Parameters:
    ///   - configuration: Where Redis is and the timeouts.
    ///   - eventBufferCapacity: How many events may wait for each listener (2 to 1,000,000).
    ///   - logger: Where connection events are logged.
    /// - Throws: ``RedisClientError/Code/invalidConfiguration`` when a field is out of range.
    public init(
        configuration: RedisConfiguration,
        eventBufferCapacity: Int = 10_000,
        logger: Logger = Logger(label: "bulwark.redis.pubsub")
    ) throws(RedisClientError) {
        try configuration.validate()
        guard (2...1_000_000).contains(eventBufferCapacity) else {
            throw RedisClientError(.invalidConfiguration, "eventBufferCapacity must be between 2 and 1000000, got \(eventBufferCapacity)")
        }
        self.configuration = configuration
        self.eventBufferCapacity = eventBufferCapacity
        self.logger = logger
    }

    deinit { shutdown() }

    /// Starts listening to `channels`: the returned subscription's ``RedisSubscription/events`` carry their
    /// messages once Redis confirmed them (``RedisSubscription/activate()``), and every connection event.
    /// - Throws: ``RedisClientError/Code/clientClosed`` after ``shutdown()``;
    ///   ``RedisClientError/Code/invalidConfiguration`` past ``maximumChannels``.
    public func subscribe(channels: [String]) throws(RedisClientError) -> RedisSubscription {
        let (events, continuation) = AsyncStream.makeStream(
            of: RedisPubSubEvent.self,
            bufferingPolicy: .bufferingOldest(eventBufferCapacity + HubListener.reserved)
        )
        let registered = state.withLock { state -> Result<(Int, RedisSubscriber), RedisClientError> in
            guard !state.closed else { return .failure(RedisClientError(.clientClosed, "the subscription hub was shut down")) }
            let wanted = state.channels.union(channels)
            guard wanted.count <= Self.maximumChannels else {
                return .failure(RedisClientError(.invalidConfiguration, "a subscription hub takes at most \(Self.maximumChannels) channels"))
            }
            let subscriber: RedisSubscriber
            if let existing = state.subscriber {
                subscriber = existing
            } else {
                do throws(RedisClientError) {
                    subscriber = try RedisSubscriber(configuration: configuration, eventBufferCapacity: eventBufferCapacity, logger: logger)
                } catch {
                    return .failure(error)
                }
                state.subscriber = subscriber
                let events = subscriber.events
                // Holds the hub only while it delivers an event, so that an abandoned hub is released (and shut down).
                Task { [weak self] in
                    for await event in events {
                        guard let self else { return }
                        self.deliver(event)
                    }
                }
            }
            state.channels = wanted
            let id = state.nextListener
            state.nextListener += 1
            state.listeners[id] = HubListener(channels: Set(channels), continuation: continuation)
            return .success((id, subscriber))
        }
        switch registered {
        case .failure(let error):
            continuation.finish()
            throw error
        case .success(let (id, subscriber)):
            return RedisSubscription(events: events, channels: channels, subscriber: subscriber) { [weak self] in self?.remove(id) }
        }
    }

    /// Closes the connection and finishes every subscription's events.
    public func shutdown() {
        let (subscriber, listeners) = state.withLock { state in
            defer {
                state.closed = true
                state.subscriber = nil
                state.listeners = [:]
            }
            return (state.subscriber, Array(state.listeners.values))
        }
        subscriber?.shutdown()
        for listener in listeners { listener.continuation.finish() }
    }

    /// Hands an event of the connection to the listeners it concerns.
    private func deliver(_ event: RedisPubSubEvent) {
        state.withLock { state in
            switch event {
            case .disconnected: state.connectionUp = false
            case .resubscribed: state.connectionUp = true
            default: break
            }
            for id in state.listeners.keys {
                state.listeners[id]?.deliver(event, connectionUp: state.connectionUp)
            }
        }
    }

    private func remove(_ id: Int) {
        let listener = state.withLock { $0.listeners.removeValue(forKey: id) }
        listener?.continuation.finish()
    }
}
