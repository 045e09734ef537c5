import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The thread behind a ``RedisSubscriber``: connects, subscribes, waits in `poll` for messages or for
/// requests, pings a quiet line, and reconnects with backoff.
///
/// `@unchecked Sendable`: `context`, `schedule` and the ping bookkeeping are touched only by the thread;
/// the rest is immutable or behind the `state` mutex.
final class SubscriberConnection: @unchecked Sendable {
    private let connector: RedisConnector
    private let configuration: RedisConfiguration
    private let pingInterval: Duration
    /// Shared with the ``RedisSubscriber`` that owns this connection.
    let state = Mutex(SubscriberState())
    /// Wakes the thread when a request is queued or the subscriber shuts down.
    let signal = EventSignal()
    private let output: AsyncStream<RedisPubSubEvent>.Continuation
    private let logger: Logger

    // Owned by the thread.
    private var context: HiredisContext?
    private var schedule: ReconnectSchedule
    private var lastHeard = ContinuousClock.now
    private var pingSentAt: ContinuousClock.Instant?
    /// The connection broke and not every subscription is confirmed again yet.
    private var inGap = false
    /// The consumer was told `.disconnected` and awaits the matching `.resubscribed`.
    private var consumerInGap = false
    /// The buffer was full: messages were dropped, and the consumer must hear of the gap.
    private var overflowed = false
    private var droppedMessages = 0
    /// Messages dropped because the consumer was behind, since the subscriber started.
    let droppedTotal = Atomic<Int>(0)
    private var lastGapReason = ""

    init(
        connector: RedisConnector,
        configuration: RedisConfiguration,
        pingInterval: Duration,
        output: AsyncStream<RedisPubSubEvent>.Continuation,
        logger: Logger
    ) {
        self.connector = connector
        self.configuration = configuration
        self.pingInterval = pingInterval
        self.output = output
        self.logger = logger
        self.schedule = ReconnectSchedule(
            initialDelay: configuration.initialReconnectDelay,
            maximumDelay: configuration.maximumReconnectDelay
        )
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "bulwark-redis-pubsub"
        thread.start()
    }

    private func run() {
        BrokenPipeGuard.blockOnCurrentThread()
        while !state.withLock({ $0.closed }) {
            if let context {
                serve(context)
            } else {
                connect()
            }
        }
        context = nil
        let error = RedisClientError(.clientClosed, "the subscriber was shut down")
        let (waiters, changes) = state.withLock { state in
            state.connected = false
            defer { state.changes = [] }
            return (state.dropInFlight(), state.changes)
        }
        for waiter in waiters { waiter.resume(throwing: error) }
        for change in changes { change.continuation.resume(throwing: error) }
        output.finish()
    }

    private func connect() {
        let now = ContinuousClock.now
        guard schedule.mayAttempt(at: now) else {
            // Requests that arrive while we wait fail at once instead of hanging until the next attempt.
            failPendingChanges(with: schedule.waitingError(at: now))
            wait(for: signal.fileDescriptor, events: 0, timeout: schedule.remaining(at: now))
            return
        }
        do {
            let context = try connector.connect()
            self.context = context
            schedule.reset(at: now)
            lastHeard = .now
            pingSentAt = nil
            resubscribeAll(on: context)
        } catch {
            schedule.attemptFailed(error, at: now)
            failPendingChanges(with: error)
        }
    }

    /// Subscribes again to everything wanted, one command per name so that a name Redis refuses cannot take
    /// the others down with it. Requests still queued are written after, by ``writeChanges(on:)``.
    private func resubscribeAll(on context: HiredisContext) {
        let commands = state.withLock { state -> [PendingSubscriptionCommand] in
            state.connected = true
            let channels = state.channels.sorted().map {
                PendingSubscriptionCommand(kind: .subscribe, names: [$0], remaining: ["subscribe:\($0)"], continuation: nil)
            }
            let patterns = state.patterns.sorted().map {
                PendingSubscriptionCommand(kind: .psubscribe, names: [$0], remaining: ["psubscribe:\($0)"], continuation: nil)
            }
            state.inFlight = channels + patterns
            return state.inFlight
        }
        for command in commands {
            context.append(RedisCommand(command.kind.rawValue, arguments: command.names).encoded)
        }
        do {
            try context.flush()
        } catch {
            disconnect(error)
            return
        }
        if inGap, commands.isEmpty {
            finishGap()
        }
    }

    private func serve(_ context: HiredisContext) {
        announceGapState()
        writeChanges(on: context)
        guard self.context != nil else { return }
        let now = ContinuousClock.now
        let timeout: Duration
        if let pingSentAt {
            let deadline = pingSentAt + configuration.commandTimeout
            if now >= deadline {
                disconnect(RedisClientError(.timedOut, "Redis did not answer a ping within the command timeout"))
                return
            }
            timeout = deadline - now
        } else {
            let pingAt = lastHeard + pingInterval
            if now >= pingAt {
                context.append(RedisCommand("PING").encoded)
                do { try context.flush() } catch {
                    disconnect(error)
                    return
                }
                pingSentAt = now
                return
            }
            timeout = pingAt - now
        }
        guard wait(for: context.fileDescriptor, events: Int16(POLLIN), timeout: timeout) else { return }
        do {
            try context.readAvailable()
            lastHeard = .now
            pingSentAt = nil
            while let reply = try context.bufferedReply() {
                handle(reply)
            }
        } catch {
            disconnect(error)
        }
    }

    private func writeChanges(on context: HiredisContext) {
        let changes = state.withLock { state in
            defer { state.changes = [] }
            for change in state.changes {
                let keys = change.names.map { "\(change.kind.rawValue.lowercased()):\($0)" }
                state.inFlight.append(
                    PendingSubscriptionCommand(kind: change.kind, names: change.names, remaining: keys, continuation: change.continuation)
                )
            }
            return state.changes
        }
        guard !changes.isEmpty else { return }
        for change in changes {
            context.append(RedisCommand(change.kind.rawValue, arguments: change.names).encoded)
        }
        do { try context.flush() } catch { disconnect(error) }
    }

    private func handle(_ reply: RedisValue) {
        if case .error(let error) = reply {
            // Redis refused the oldest command in flight (NOPERM, ERR): its caller learns why, and what it asked
            // for is forgotten so that a reconnect does not ask again.
            let refused = state.withLock { $0.refuseOldest() }
            refused?.continuation?.resume(
                throwing: RedisClientError(.serverError, "\(refused?.kind.rawValue ?? "pub/sub") refused: \(error.message)", serverError: error)
            )
            logger.warning("pub/sub command refused", metadata: ["redis.error": "\(error.code)"])
            finishGapIfConfirmed()
            return
        }
        guard let parts = reply.array, let kind = parts.first?.string else { return }
        switch kind {
        case "message" where parts.count == 3:
            deliver(.message(channel: parts[1].string ?? "", payload: parts[2].bytes ?? []))
        case "pmessage" where parts.count == 4:
            deliver(.patternMessage(pattern: parts[1].string ?? "", channel: parts[2].string ?? "", payload: parts[3].bytes ?? []))
        case "subscribe", "psubscribe", "unsubscribe", "punsubscribe":
            let key = "\(kind):\(parts.count > 1 ? parts[1].string ?? "" : "")"
            let confirmed = state.withLock { $0.confirm(key) }
            if confirmed.done { confirmed.continuation?.resume() }
            finishGapIfConfirmed()
        default:
            // "pong": the ping was answered; lastHeard already moved.
            break
        }
    }

    private func finishGapIfConfirmed() {
        if inGap, state.withLock({ $0.inFlight.allSatisfy { $0.continuation != nil } }) { finishGap() }
    }

    private func finishGap() {
        inGap = false
        logger.info("pub/sub resubscribed after a gap")
        announceGapState()
    }

    /// Yields a message, unless the consumer is behind: then it is dropped and the gap announced.
    private func deliver(_ message: RedisPubSubEvent) {
        announceGapState()
        // Behind: drop until the consumer has been told of the gap, both ends of it.
        guard !overflowed else {
            droppedMessages += 1
            droppedTotal.wrappingAdd(1, ordering: .relaxed)
            return
        }
        if case .dropped = output.yield(message) {
            overflowed = true
            droppedMessages += 1
            droppedTotal.wrappingAdd(1, ordering: .relaxed)
            logger.warning("pub/sub consumer is behind: messages dropped until it catches up")
            announceGapState()
        }
    }

    /// Opens a gap for the consumer (connection lost, or buffer full) and closes it once the connection is
    /// subscribed again and the buffer has room; an event that does not fit is tried again next turn.
    private func announceGapState() {
        if !consumerInGap, inGap || overflowed {
            let reason =
                overflowed
                ? "the event buffer was full: \(droppedMessages) message(s) dropped"
                : lastGapReason
            guard case .enqueued = output.yield(.disconnected(reason: reason)) else { return }
            consumerInGap = true
        }
        if consumerInGap, !inGap {
            guard case .enqueued = output.yield(.resubscribed) else { return }
            consumerInGap = false
            overflowed = false
            droppedMessages = 0
        }
    }

    private func disconnect(_ error: RedisClientError) {
        context = nil
        pingSentAt = nil
        schedule.reset(at: .now)
        let waiters = state.withLock { state in
            state.connected = false
            return state.dropInFlight()
        }
        for waiter in waiters { waiter.resume(throwing: error) }
        if !inGap {
            inGap = true
            lastGapReason = error.description
            announceGapState()
            logger.info("pub/sub connection lost", metadata: ["redis.error": "\(error)"])
        }
    }

    private func failPendingChanges(with error: RedisClientError) {
        let changes = state.withLock { state in
            defer { state.changes = [] }
            return state.changes
        }
        for change in changes {
            switch change.kind {
            case .subscribe, .psubscribe:
                change.continuation.resume(throwing: error)
            case .unsubscribe, .punsubscribe:
                // Already forgotten by the subscriber: with no connection there is nothing left to undo.
                change.continuation.resume()
            }
        }
        if !inGap, !changes.isEmpty || schedule.lastError != nil {
            inGap = true
            lastGapReason = error.description
            announceGapState()
        }
    }

    /// Waits until `fileDescriptor` is ready for `events`, the wake signal fires, or `timeout` passes.
    /// Returns whether `fileDescriptor` is ready.
    @discardableResult
    private func wait(for fileDescriptor: Int32, events: Int16, timeout: Duration) -> Bool {
        var descriptors = [
            pollfd(fd: signal.fileDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: fileDescriptor, events: events, revents: 0),
        ]
        let count = events == 0 ? 1 : 2
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000 + 1)
        let ready = poll(&descriptors, nfds_t(count), milliseconds)
        guard ready > 0 else { return false }
        if descriptors[0].revents != 0 { signal.drain() }
        return count == 2 && descriptors[1].revents != 0
    }
}
