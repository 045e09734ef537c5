import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A pub/sub subscription on a dedicated connection, delivered as an `AsyncSequence` of events.
///
/// ```swift
/// let subscriber = try RedisSubscriber(configuration: configuration)
/// try await subscriber.subscribe(channels: ["bulwark:events"])
/// for await event in subscriber.events {
///     switch event {
///     case .message(let channel, let payload): handle(channel, payload)
///     case .disconnected: stopTrustingLocalCopies()
///     case .resubscribed: rereadStateFromRedis()
///     case .patternMessage: break
///     }
/// }
/// ```
///
/// The connection is driven by a thread of its own that waits in `poll`. It pings Redis when the line is
/// quiet, so a server that stops answering (paused, partitioned) is noticed within
/// ``RedisConfiguration/commandTimeout`` plus ``pingInterval``. After a reconnect it subscribes again to
/// everything and yields ``RedisPubSubEvent/resubscribed``.
///
/// ``events`` holds at most ``eventBufferCapacity`` events that the consumer has not taken yet. When it is
/// full, messages are dropped and the consumer is told as for a broken connection: a
/// ``RedisPubSubEvent/disconnected(reason:)`` as soon as there is room, then
/// ``RedisPubSubEvent/resubscribed`` once messages flow again, so that it re-reads what it derives from them.
public final class RedisSubscriber: Sendable {
    /// The stream of messages and connection events. It has one consumer and ends at ``shutdown()``.
    public let events: AsyncStream<RedisPubSubEvent>
    /// How long the line may be quiet before the subscriber pings Redis.
    public let pingInterval: Duration
    /// How many events may wait for the consumer before messages are dropped (and a gap announced).
    public let eventBufferCapacity: Int

    private let connection: SubscriberConnection
    private var signal: EventSignal { connection.signal }

    /// Creates a subscriber and starts connecting.
    /// - Throws: ``RedisClientError/Code/invalidConfiguration`` when a field is out of range.
    /// - Parameters:
    ///   - configuration: Where Redis is and the timeouts.
    ///   - pingInterval: How long the line may be quiet before the subscriber pings Redis.
    ///   - eventBufferCapacity: How many events may wait for the consumer (2 to 1,000,000).
    ///   - logger: Where connection events are logged.
    public init(
        configuration: RedisConfiguration,
        pingInterval: Duration = .seconds(1),
        eventBufferCapacity: Int = 10_000,
        logger: Logger = Logger(label: "bulwark.redis.pubsub")
    ) throws(RedisClientError) {
        try configuration.validate()
        guard pingInterval >= .milliseconds(10), pingInterval <= .seconds(3_600) else {
            throw RedisClientError(.invalidConfiguration, "pingInterval must be between 10 ms and 1 hour")
        }
        // Two events at least: a gap is announced as a pair.
        guard (2...1_000_000).contains(eventBufferCapacity) else {
            throw RedisClientError(.invalidConfiguration, "eventBufferCapacity must be between 2 and 1000000, got \(eventBufferCapacity)")
        }
        let (events, continuation) = AsyncStream.makeStream(of: RedisPubSubEvent.self, bufferingPolicy: .bufferingOldest(eventBufferCapacity))
        self.events = events
        self.pingInterval = pingInterval
        self.eventBufferCapacity = eventBufferCapacity
        self.connection = SubscriberConnection(
            connector: RedisConnector(configuration: configuration),
            configuration: configuration,
            pingInterval: pingInterval,
            output: continuation,
            logger: logger
        )
        connection.start()
    }

    deinit { shutdown() }

    /// Subscribes to channels and waits until Redis confirms.
    ///
    /// The subscription is remembered even when this throws: it becomes active as soon as the connection
    /// is up, which ``RedisPubSubEvent/resubscribed`` announces.
    /// - Throws: ``RedisClientError`` when Redis could not be reached in time.
    public func subscribe(channels: [String]) async throws(RedisClientError) {
        try await change(.subscribe, names: channels)
    }

    /// Subscribes to glob patterns (`PSUBSCRIBE`) and waits until Redis confirms.
    public func subscribe(patterns: [String]) async throws(RedisClientError) {
        try await change(.psubscribe, names: patterns)
    }

    /// Stops listening to channels.
    public func unsubscribe(channels: [String]) async throws(RedisClientError) {
        try await change(.unsubscribe, names: channels)
    }

    /// Stops listening to patterns.
    public func unsubscribe(patterns: [String]) async throws(RedisClientError) {
        try await change(.punsubscribe, names: patterns)
    }

    /// Messages dropped since the subscriber started because ``events`` was full (the consumer was behind).
    public var droppedMessages: Int { connection.droppedTotal.load(ordering: .relaxed) }

    /// Whether the subscription connection is up and every subscription is confirmed.
    public var isSubscribed: Bool { connection.state.withLock { $0.connected && $0.inFlight.isEmpty && $0.changes.isEmpty } }

    /// Closes the connection and finishes ``events``.
    public func shutdown() {
        let wasOpen = connection.state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        if wasOpen { signal.signal() }
    }

    private func change(_ kind: SubscriptionChange.Kind, names: [String]) async throws(RedisClientError) {
        guard !names.isEmpty else { return }
        do {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let closed = connection.state.withLock { state -> Bool in
                    if state.closed { return true }
                    state.apply(kind, names: names)
                    state.changes.append(SubscriptionChange(kind: kind, names: names, continuation: continuation))
                    return false
                }
                if closed {
                    continuation.resume(throwing: RedisClientError(.clientClosed, "the subscriber was shut down"))
                } else {
                    signal.signal()
                }
            }
        } catch {
            throw (error as? RedisClientError) ?? RedisClientError(.connectionLost, "\(error)")
        }
    }
}

/// A subscribe or unsubscribe request on its way to the subscriber's thread.
struct SubscriptionChange: Sendable {
    enum Kind: String, Sendable {
        case subscribe = "SUBSCRIBE"
        case psubscribe = "PSUBSCRIBE"
        case unsubscribe = "UNSUBSCRIBE"
        case punsubscribe = "PUNSUBSCRIBE"
    }

    let kind: Kind
    let names: [String]
    let continuation: UnsafeContinuation<Void, any Error>
}

/// A subscribe or unsubscribe command written to Redis and not yet fully confirmed.
struct PendingSubscriptionCommand: Sendable {
    let kind: SubscriptionChange.Kind
    let names: [String]
    /// Confirmations still owed, as `kind:name`; Redis sends one per name.
    var remaining: [String]
    /// The caller waiting, or `nil` for a resubscription after a reconnect.
    let continuation: UnsafeContinuation<Void, any Error>?
}

/// What the subscriber's callers and its thread share, behind a lock.
struct SubscriberState: Sendable {
    /// Channels and patterns wanted; subscribed again after every reconnect.
    var channels: Set<String> = []
    var patterns: Set<String> = []
    /// Requests not yet written.
    var changes: [SubscriptionChange] = []
    /// Commands written and not yet confirmed, in the order they were written: Redis answers in that order.
    var inFlight: [PendingSubscriptionCommand] = []
    var connected = false
    var closed = false

    mutating func apply(_ kind: SubscriptionChange.Kind, names: [String]) {
        switch kind {
        case .subscribe: channels.formUnion(names)
        case .psubscribe: patterns.formUnion(names)
        case .unsubscribe: channels.subtract(names)
        case .punsubscribe: patterns.subtract(names)
        }
    }

    /// Records a confirmation for the oldest command that owes it, and returns that command's caller when
    /// the command is now fully confirmed.
    mutating func confirm(_ key: String) -> (done: Bool, continuation: UnsafeContinuation<Void, any Error>?) {
        guard let index = inFlight.firstIndex(where: { $0.remaining.contains(key) }) else { return (false, nil) }
        if let position = inFlight[index].remaining.firstIndex(of: key) {
            inFlight[index].remaining.remove(at: position)
        }
        guard inFlight[index].remaining.isEmpty else { return (false, nil) }
        return (true, inFlight.remove(at: index).continuation)
    }

    /// Redis refused the oldest command in flight (an error reply): forget what it asked for and return it.
    mutating func refuseOldest() -> PendingSubscriptionCommand? {
        guard !inFlight.isEmpty else { return nil }
        let refused = inFlight.removeFirst()
        switch refused.kind {
        case .subscribe: channels.subtract(refused.names)
        case .psubscribe: patterns.subtract(refused.names)
        case .unsubscribe, .punsubscribe: break
        }
        return refused
    }

    /// Forgets every command in flight and returns their callers, to be failed.
    mutating func dropInFlight() -> [UnsafeContinuation<Void, any Error>] {
        defer { inFlight = [] }
        return inFlight.compactMap(\.continuation)
    }
}
