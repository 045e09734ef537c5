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
public final class RedisSubscriber: Sendable {
    /// The stream of messages and connection events. It has one consumer and ends at ``shutdown()``.
    public let events: AsyncStream<RedisPubSubEvent>
    /// How long the line may be quiet before the subscriber pings Redis.
    public let pingInterval: Duration

    private let connection: SubscriberConnection
    private var signal: EventSignal { connection.signal }

    /// Creates a subscriber and starts connecting.
    /// - Throws: ``RedisClientError/Code/invalidConfiguration`` when a field is out of range.
    public init(
        configuration: RedisConfiguration,
        pingInterval: Duration = .seconds(1),
        logger: Logger = Logger(label: "bulwark.redis.pubsub")
    ) throws(RedisClientError) {
        try configuration.validate()
        let (events, continuation) = AsyncStream.makeStream(of: RedisPubSubEvent.self)
        self.events = events
        self.pingInterval = pingInterval
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

    /// Whether the subscription connection is up and every subscription is confirmed.
    public var isSubscribed: Bool { connection.state.withLock { $0.connected && $0.awaitingConfirmation.isEmpty } }

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

/// What the subscriber's callers and its thread share, behind a lock.
struct SubscriberState: Sendable {
    /// Channels and patterns wanted; subscribed again after every reconnect.
    var channels: Set<String> = []
    var patterns: Set<String> = []
    /// Requests not yet written.
    var changes: [SubscriptionChange] = []
    /// Confirmations Redis still owes, keyed by `kind:name`, with the requests that wait for them.
    var awaitingConfirmation: [String: Int] = [:]
    var waiters: [(remaining: Set<String>, continuation: UnsafeContinuation<Void, any Error>)] = []
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

    /// Records that Redis confirmed `kind` for `name`, and returns the waiters now fully confirmed.
    mutating func confirm(_ key: String) -> [UnsafeContinuation<Void, any Error>] {
        if let count = awaitingConfirmation[key] {
            awaitingConfirmation[key] = count > 1 ? count - 1 : nil
        }
        var done: [UnsafeContinuation<Void, any Error>] = []
        waiters = waiters.compactMap { waiter in
            var waiter = waiter
            waiter.remaining.remove(key)
            if waiter.remaining.isEmpty {
                done.append(waiter.continuation)
                return nil
            }
            return waiter
        }
        return done
    }

    /// Forgets owed confirmations and returns every waiter, to be failed.
    mutating func dropWaiters() -> [UnsafeContinuation<Void, any Error>] {
        awaitingConfirmation = [:]
        defer { waiters = [] }
        return waiters.map(\.continuation)
    }
}
