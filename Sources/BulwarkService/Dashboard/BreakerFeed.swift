import Logging
import RedisClient
import ServiceLifecycle
import SharedState
import Synchronization

/// The one reader of the breaker overview behind every connected dashboard: it refreshes the view every
/// `dashboardRefreshMilliseconds` and at once when a transition is published on the breaker events
/// channel, and sends each client only what changed. N browsers are one poller; with none connected it
/// reads nothing.
///
/// Each client gets a `snapshot` event first, then `breaker` events for breakers whose view changed,
/// `removed` for breakers no longer registered, `status` when this instance goes to or from the local
/// fallback or the live instances change, and a heartbeat comment every ``heartbeatInterval``.
final class BreakerFeed: Service, Sendable {
    /// How often a comment is sent to keep idle connections (and proxies) open.
    static let heartbeatInterval: Duration = .seconds(15)
    /// Events a slow client may have waiting; past that it is disconnected and reconnects with a snapshot.
    static let clientBuffer = 256

    /// The overview the feed and the API read.
    let overview: BreakerOverview
    private let components: ServiceComponents
    private let refreshInterval: Duration
    private let maximumClients: Int
    private let logger: Logger
    private let state = Mutex(FeedState())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// Creates the feed; nothing is read until ``run()`` runs and a client connects.
    init(components: ServiceComponents, overview: BreakerOverview, logger: Logger) {
        self.components = components
        self.overview = overview
        self.logger = logger
        // Files and the environment cannot go below 100 ms; a value set in code is held to the same floor.
        refreshInterval = .milliseconds(max(100, components.configuration.dashboardRefreshMilliseconds))
        maximumClients = components.configuration.maximumEventStreams
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Connects a client: its events, starting with a snapshot, until ``disconnect(_:)`` or shutdown; nil when
    /// `maximumEventStreams` clients are connected already.
    func connect() -> (id: UInt64, events: AsyncStream<ServerSentEvent>)? {
        let (events, continuation) = AsyncStream.makeStream(of: ServerSentEvent.self, bufferingPolicy: .bufferingOldest(Self.clientBuffer))
        let id = state.withLock { state -> UInt64? in
            guard state.clients.count < maximumClients else { return nil }
            return state.add(continuation)
        }
        guard let id else {
            continuation.finish()
            return nil
        }
        continuation.onTermination = { [weak self] _ in self?.disconnect(id) }
        wake.yield()
        return (id, events)
    }

    /// Ends a client's events and forgets it.
    func disconnect(_ id: UInt64) {
        state.withLock { $0.remove(id) }?.finish()
    }

    /// Number of connected clients.
    var clientCount: Int { state.withLock { $0.clients.count } }

    /// Refreshes on every wake-up while clients are connected, until cancelled or shut down gracefully;
    /// then ends every client's stream.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.listenForTransitions() }
                group.addTask { await self.tick() }
                for await _ in self.wakeups where self.clientCount > 0 {
                    await self.refresh()
                }
                group.cancelAll()
            }
        }
        for client in state.withLock({ $0.removeAll() }) { client.finish() }
    }

    private func refresh() async {
        let summary: FleetSummary
        var list: BreakerList?
        do {
            let read = try await overview.list()
            list = read
            summary = FleetSummary(instance: read.instance, sharedState: read.sharedState, liveInstances: read.liveInstances)
        } catch {
            logger.debug("dashboard refresh failed", metadata: ["error.code": "\(error.kind.code)"])
            let known = state.withLock { $0.summary?.liveInstances } ?? []
            // Redis cannot be read: this instance is on its own whether or not its breakers have noticed yet.
            let status = components.breakers.status
            let sharedState = FleetStatus(status.isDegraded ? status : .localFallback(reason: "Redis cannot be read"))
            summary = FleetSummary(instance: components.instanceID, sharedState: sharedState, liveInstances: known)
        }
        let dropped = state.withLock { $0.publish(list, summary: summary) }
        for client in dropped { client.finish() }
    }

    private func tick() async {
        var sinceHeartbeat = Duration.zero
        while !Task.isCancelled {
            try? await Task.sleep(for: refreshInterval)
            wake.yield()
            sinceHeartbeat += refreshInterval
            if sinceHeartbeat >= Self.heartbeatInterval {
                sinceHeartbeat = .zero
                let dropped = state.withLock { $0.broadcast(.heartbeat) }
                for client in dropped { client.finish() }
            }
        }
    }

    /// Wakes the refresh at every published transition, and after a pub/sub gap (transitions were missed).
    private func listenForTransitions() async {
        guard let subscription = try? components.client.subscriptions.subscribe(channels: [components.breakers.store.eventsChannel]) else {
            return
        }
        defer { subscription.cancel() }
        // Remembered even when Redis is away: the hub subscribes when it returns and says `.resubscribed`.
        try? await subscription.activate()
        await withTaskCancellationHandler {
            for await event in subscription.events {
                switch event {
                case .message, .resubscribed: wake.yield()
                case .disconnected, .patternMessage: break
                }
            }
        } onCancel: {
            subscription.cancel()
        }
    }
}
