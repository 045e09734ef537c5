import Dispatch
import Foundation
import Logging
import Synchronization

/// One connection to Redis, driven by a thread of its own.
///
/// hiredis blocks and a `redisContext` is not thread-safe, so the context lives on this thread and never
/// touches Swift's cooperative pool. Tasks hand requests over through a locked queue and wait on a
/// continuation. Each turn of the thread takes *every* queued request, writes them all in one go and then
/// reads their replies in order: commands that many tasks issue concurrently share one write and one
/// round trip (automatic pipelining).
///
/// `@unchecked Sendable`: `context` and `schedule` are read and written only by the connection's thread;
/// everything else shared is behind `queue` (a `Mutex`) or atomic.
final class RedisConnection: @unchecked Sendable {
    private struct Queue {
        /// Requests queued for the thread, in send order.
        var pending: [RedisRequest] = []
        /// The batch the thread writes and reads now, sent before `pending`; the deadline watch looks at both.
        var inFlight: [RedisRequest] = []
        var sleeping = false
        var closed = false
    }

    private let connector: RedisConnector
    /// The most requests that may wait for the thread; more fail with ``RedisClientError/Code/overloaded``.
    private let maximumPendingRequests: Int
    private let logger: Logger
    private let queue = Mutex(Queue())
    private let hasWork = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let connectedFlag = Atomic<Bool>(false)
    private let commandCount = Atomic<Int>(0)
    private let requestCount = Atomic<Int>(0)
    private let writeCount = Atomic<Int>(0)
    private let connectCount = Atomic<Int>(0)
    private let spinCount = Atomic<Int>(0)
    /// While the thread waits out a reconnect delay: when the next attempt may start (``MonotonicTime``),
    /// else 0. Calls meanwhile fail in the caller (``waitingError()``), without a trip through the thread.
    private let retryAt = Atomic<UInt64>(0)
    /// The failed attempt that `retryAt` waits after.
    private let lastConnectError = Mutex<RedisClientError?>(nil)

    // Owned by the connection's thread.
    private var context: HiredisContext?
    private var schedule: ReconnectSchedule
    private var spin = SpinPolicy()
    /// The socket's read timeout now: the command timeout, or longer for a batch whose caller waits longer.
    private var socketTimeout: Duration

    init(configuration: RedisConfiguration, name: String, logger: Logger) {
        self.connector = RedisConnector(configuration: configuration)
        self.maximumPendingRequests = configuration.maximumPendingRequests
        self.socketTimeout = configuration.commandTimeout
        self.logger = logger
        self.schedule = ReconnectSchedule(
            initialDelay: configuration.initialReconnectDelay,
            maximumDelay: configuration.maximumReconnectDelay
        )
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Whether the connection is open right now.
    var isConnected: Bool { connectedFlag.load(ordering: .relaxed) }

    /// Commands, requests, writes and connects so far.
    var statistics: RedisClientStatistics {
        RedisClientStatistics(
            commands: commandCount.load(ordering: .relaxed),
            requests: requestCount.load(ordering: .relaxed),
            writes: writeCount.load(ordering: .relaxed),
            connects: connectCount.load(ordering: .relaxed),
            spins: spinCount.load(ordering: .relaxed)
        )
    }

    /// The error for a call made while the connection waits out a reconnect delay, or `nil` when the call
    /// should be queued. Costs one atomic load while connected.
    func waitingError() -> RedisClientError? {
        let retryAt = retryAt.load(ordering: .acquiring)
        guard retryAt != 0 else { return nil }
        let now = MonotonicTime.now
        guard now < retryAt else { return nil }
        let lastError = lastConnectError.withLock { $0 }
        return ReconnectSchedule.waitingError(lastError: lastError, remaining: .nanoseconds(retryAt - now))
    }

    /// Queues a request; its continuation is resumed by the connection's thread (or its deadline).
    func submit(_ request: RedisRequest) {
        let signal: Bool?? = queue.withLock { queue in
            if queue.closed { return nil }
            if queue.pending.count >= maximumPendingRequests {
                // Requests whose callers gave up hold no place.
                queue.pending.removeAll { !$0.isWaiting }
                if queue.pending.count >= maximumPendingRequests { return .some(nil) }
            }
            queue.pending.append(request)
            hasWork.store(true, ordering: .relaxed)
            if queue.sleeping {
                queue.sleeping = false
                return true
            }
            return false
        }
        switch signal {
        case nil: request.fail(RedisClientError(.clientClosed, "the Redis client was shut down"))
        case .some(nil):
            request.fail(
                RedisClientError(.overloaded, "\(maximumPendingRequests) requests already wait for this Redis connection")
            )
        case true??: wake.signal()
        case false??: break
        }
    }

    /// Fails the requests, queued or on the wire, whose deadline is `now` or earlier, and returns the
    /// earliest deadline of those still waiting (`UInt64.max` for none). Called by ``DeadlineWatch``.
    ///
    /// Requests on the wire that are answered or expired already are skipped; they leave with the next turn of
    /// the thread. Queued ones that no longer wait are taken out of the queue here (they are never written), so
    /// that while Redis stalls (the thread blocked on the wire) each scan does not visit every request that
    /// expired before.
    func expire(at now: UInt64) -> UInt64 {
        var expired: [RedisRequest] = []
        var next = UInt64.max
        queue.withLock { queue in
            Self.scan(queue.inFlight, at: now, next: &next, expired: &expired)
            queue.pending.removeAll { request in
                guard request.isWaiting else { return true }
                guard request.deadline > now else {
                    expired.append(request)
                    return true
                }
                next = min(next, request.deadline)
                return false
            }
        }
        for request in expired { request.expire() }
        return next
    }

    private static func scan(_ requests: [RedisRequest], at now: UInt64, next: inout UInt64, expired: inout [RedisRequest]) {
        for request in requests where request.deadline < next || request.deadline <= now {
            guard request.isWaiting else { continue }
            if request.deadline <= now {
                expired.append(request)
            } else {
                next = request.deadline
            }
        }
    }

    /// Fails what is queued, closes the connection and ends the thread.
    func close() {
        let signal = queue.withLock { queue in
            queue.closed = true
            hasWork.store(true, ordering: .relaxed)
            defer { queue.sleeping = false }
            return queue.sleeping
        }
        if signal { wake.signal() }
    }

    private enum Turn {
        case work
        case sleep
        case exit
    }

    private func run() {
        BrokenPipeGuard.blockOnCurrentThread()
        // Two buffers swap between the queue and the thread, so a steady stream of requests allocates nothing.
        var batch: [RedisRequest] = []
        batch.reserveCapacity(64)
        while true {
            // `hasWork` changes only under the lock, so seeing it set means `pending` is not empty.
            if spin.shouldSpin {
                if !hasWork.load(ordering: .relaxed) { spinCount.wrappingAdd(1, ordering: .relaxed) }
                let spinUntil = ContinuousClock.now + SpinPolicy.window
                var spins = 0
                while !hasWork.load(ordering: .relaxed) {
                    spins &+= 1
                    if spins & 63 == 0, ContinuousClock.now >= spinUntil { break }
                }
            }
            let turn: Turn = queue.withLock { queue in
                // The last batch is answered: it leaves the deadline watch's sight, and `batch` is the only
                // reference to its buffer again, so emptying it keeps the capacity without a copy.
                queue.inFlight = []
                batch.removeAll(keepingCapacity: true)
                swap(&batch, &queue.pending)
                hasWork.store(false, ordering: .relaxed)
                if queue.closed { return .exit }
                if !batch.isEmpty {
                    queue.inFlight = batch
                    return .work
                }
                queue.sleeping = true
                return .sleep
            }
            switch turn {
            case .work:
                spin.workFound(at: .now)
                process(batch)
                spin.batchFinished(at: .now)
            case .sleep:
                wake.wait()
            case .exit:
                let error = RedisClientError(.clientClosed, "the Redis client was shut down")
                for request in batch { request.fail(error) }
                context = nil
                connectedFlag.store(false, ordering: .relaxed)
                return
            }
        }
    }

    private func process(_ fullBatch: [RedisRequest]) {
        // A request whose caller gave up (deadline, cancellation) while it waited is never written.
        let batch = fullBatch.allSatisfy(\.isWaiting) ? fullBatch : fullBatch.filter(\.isWaiting)
        guard !batch.isEmpty, let context = connectIfNeeded(failing: batch) else { return }
        var commands = 0
        var longestWait = connector.configuration.commandTimeout
        for request in batch {
            context.append(request.encoded)
            commands += request.replyCount
            longestWait = max(longestWait, request.timeout)
        }
        if longestWait != socketTimeout {
            // A caller that allows more than the command timeout gets it; the next batch restores the default.
            context.setTimeout(longestWait)
            socketTimeout = longestWait
        }
        commandCount.wrappingAdd(commands, ordering: .relaxed)
        requestCount.wrappingAdd(batch.count, ordering: .relaxed)
        writeCount.wrappingAdd(1, ordering: .relaxed)
        var index = 0
        var sawReadOnly = false
        do {
            try context.flush()
            // A lone request from a caller that sends command after command: Redis usually answers within
            // tens of microseconds, and polling for that long is cheaper than sleeping in `read` and being
            // woken. At a moderate rate (``SpinPolicy``) or with several requests, the thread sleeps in `read`.
            if batch.count == 1, spin.shouldSpin {
                spinCount.wrappingAdd(1, ordering: .relaxed)
                context.pollReadable(for: SpinPolicy.window)
            }
            while index < batch.count {
                let request = batch[index]
                if request.replyCount == 1 {
                    let value = try context.readReply()
                    sawReadOnly = sawReadOnly || Self.isReadOnly(value)
                    request.succeed(value)
                } else {
                    var values: [RedisValue] = []
                    values.reserveCapacity(request.replyCount)
                    for _ in 0..<request.replyCount {
                        let value = try context.readReply()
                        sawReadOnly = sawReadOnly || Self.isReadOnly(value)
                        values.append(value)
                    }
                    request.succeed(values)
                }
                index += 1
            }
        } catch {
            // The stream is out of step with the requests: nothing more on this connection can be trusted.
            for request in batch[index...] { request.fail(error) }
            disconnect(reason: error)
            return
        }
        if sawReadOnly, case .sentinel = connector.configuration.endpoint {
            // The master we knew was demoted by a failover; ask the sentinels again on the next turn.
            disconnect(reason: RedisClientError(.connectionLost, "the server became a replica"))
        }
    }

    private func connectIfNeeded(failing batch: [RedisRequest]) -> HiredisContext? {
        if let context { return context }
        let now = ContinuousClock.now
        guard schedule.mayAttempt(at: now) else {
            let error = schedule.waitingError(at: now)
            for request in batch { request.fail(error) }
            return nil
        }
        do {
            let context = try connector.connect()
            self.context = context
            socketTimeout = connector.configuration.commandTimeout
            schedule.reset(at: now)
            retryAt.store(0, ordering: .releasing)
            connectedFlag.store(true, ordering: .relaxed)
            connectCount.wrappingAdd(1, ordering: .relaxed)
            logger.debug("connected to Redis", metadata: ["redis.endpoint": "\(connector.configuration.endpoint)"])
            return context
        } catch {
            schedule.attemptFailed(error, at: now)
            lastConnectError.withLock { $0 = error }
            retryAt.store(MonotonicTime.deadline(after: schedule.remaining(at: .now), from: MonotonicTime.now), ordering: .releasing)
            for request in batch { request.fail(error) }
            return nil
        }
    }

    private func disconnect(reason: RedisClientError) {
        context = nil
        connectedFlag.store(false, ordering: .relaxed)
        schedule.reset(at: .now)
        retryAt.store(0, ordering: .releasing)
        logger.debug("Redis connection dropped", metadata: ["redis.error": "\(reason)"])
    }

    private static func isReadOnly(_ value: RedisValue) -> Bool {
        if case .error(let error) = value { return error.code == "READONLY" }
        return false
    }
}
