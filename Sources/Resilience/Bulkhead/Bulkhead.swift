import Logging
import Metrics
import Synchronization

/// Limits how many calls run at once, with a bounded, timed wait queue.
///
/// A free slot is taken with one compare-and-swap and no lock; the lock is taken only to queue
/// and to hand slots to queued callers. Rejections throw ``ResilienceError`` with code
/// ``ResilienceError/Code-swift.struct/bulkheadFull``.
///
/// ```swift
/// let bulkhead = try Bulkhead(name: "llm", configuration: BulkheadConfiguration(maxConcurrentCalls: 10))
/// let answer = try await bulkhead.execute { try await llm.complete(prompt) }
/// ```
public final class Bulkhead: Sendable {
    private struct Waiter {
        var continuation: CheckedContinuation<Void, any Error>
        var timer: Task<Void, Never>?
    }

    private struct Queue {
        var nextID: UInt64 = 0
        var order: [UInt64] = []
        var waiters: [UInt64: Waiter] = [:]
        var cancelledBeforeQueued: Set<UInt64> = []

        mutating func remove(_ id: UInt64) -> Waiter? {
            guard let waiter = waiters.removeValue(forKey: id) else { return nil }
            order.removeAll { $0 == id }
            return waiter
        }
    }

    private enum Enqueued {
        case granted
        case full
        case cancelled
        case queued
    }

    /// The name, used in errors, logs and metrics.
    public let name: String
    /// The configuration.
    public let configuration: BulkheadConfiguration
    private let clock: any ResilienceClock
    private let telemetry: ResilienceTelemetry
    private let inFlight = Atomic<Int>(0)
    private let waiting = Atomic<Int>(0)
    private let queue = Mutex(Queue())
    private let queueFullCounter: Counter
    private let queueTimeoutCounter: Counter

    /// Creates a bulkhead.
    /// - Parameters:
    ///   - name: The name.
    ///   - configuration: The limits.
    ///   - clock: The clock the queue timeout is measured on.
    ///   - telemetry: Where logs and metrics go.
    /// - Throws: ``ResilienceError`` when the configuration is invalid.
    public init(
        name: String,
        configuration: BulkheadConfiguration = BulkheadConfiguration(),
        clock: any ResilienceClock = SystemClock(),
        telemetry: ResilienceTelemetry = ResilienceTelemetry()
    ) throws(ResilienceError) {
        try configuration.validate()
        self.name = name
        self.configuration = configuration
        self.clock = clock
        self.telemetry = telemetry
        queueFullCounter = telemetry.counter(ResilienceTelemetryNames.bulkheadRejections, [("bulkhead", name), ("reason", "queue-full")])
        queueTimeoutCounter = telemetry.counter(
            ResilienceTelemetryNames.bulkheadRejections,
            [("bulkhead", name), ("reason", "queue-timeout")]
        )
    }

    /// Calls running now.
    public var activeCalls: Int { inFlight.load(ordering: .relaxed) }
    /// Calls waiting now.
    public var queuedCalls: Int { waiting.load(ordering: .relaxed) }

    /// Runs `operation` when a slot is free, waiting in the queue if allowed.
    /// - Parameter operation: The call.
    /// - Returns: What `operation` returned.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/bulkheadFull`` when the queue is
    ///   full or the wait timed out, `CancellationError` when cancelled while waiting, or what `operation` threw.
    @inlinable
    public func execute<T>(_ operation: () async throws -> T) async throws -> T {
        try await enter()
        defer { release() }
        return try await operation()
    }

    /// Takes a slot as ``execute(_:)`` does: at once when one is free, else by waiting in the queue if allowed.
    /// Give it back with ``release()``.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/bulkheadFull`` when the queue is
    ///   full or the wait timed out, `CancellationError` when cancelled while waiting.
    @inlinable @inline(__always)
    func enter() async throws {
        if !tryAcquire() { try await waitForSlot() }
    }

    /// Runs a synchronous `operation` if a slot is free now; never waits.
    /// - Parameter operation: The call.
    /// - Returns: What `operation` returned.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/bulkheadFull`` when no slot is free.
    @inlinable
    public func executeSync<T>(_ operation: () throws -> T) throws -> T {
        guard tryAcquire() else { throw rejectWithoutWaiting() }
        defer { release() }
        return try operation()
    }

    /// Takes a slot if one is free.
    /// - Returns: Whether a slot was taken; give it back with ``release()``.
    public func tryAcquire() -> Bool {
        var current = inFlight.load(ordering: .relaxed)
        while current < configuration.maxConcurrentCalls {
            let (exchanged, original) = inFlight.weakCompareExchange(
                expected: current,
                desired: current + 1,
                ordering: .sequentiallyConsistent
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives a slot back, handing it to the longest-waiting caller if any.
    public func release() {
        inFlight.subtract(1, ordering: .sequentiallyConsistent)
        if waiting.load(ordering: .sequentiallyConsistent) > 0 { handOff() }
    }

    private func handOff() {
        let granted = queue.withLock { queue -> [Waiter] in
            var granted: [Waiter] = []
            while let id = queue.order.first, tryAcquire() {
                if let waiter = queue.remove(id) { granted.append(waiter) }
                waiting.subtract(1, ordering: .sequentiallyConsistent)
            }
            return granted
        }
        for waiter in granted {
            waiter.timer?.cancel()
            waiter.continuation.resume()
        }
    }

    /// The rejection of a caller that may not wait.
    @usableFromInline
    func rejectWithoutWaiting() -> ResilienceError {
        rejection(queueFullCounter, "no free slot")
    }

    /// Waits in the queue for a slot.
    @usableFromInline
    func waitForSlot() async throws {
        guard configuration.maxQueuedCalls > 0 else { throw rejection(queueFullCounter, "no free slot") }
        let id = queue.withLock { queue in
            queue.nextID += 1
            return queue.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let enqueued = queue.withLock { queue -> Enqueued in
                    if queue.cancelledBeforeQueued.remove(id) != nil { return .cancelled }
                    guard queue.waiters.count < configuration.maxQueuedCalls else { return .full }
                    queue.waiters[id] = Waiter(continuation: continuation)
                    queue.order.append(id)
                    waiting.add(1, ordering: .sequentiallyConsistent)
                    // A slot freed before `waiting` was raised would be missed by `release`: look again.
                    guard queue.order.first == id, tryAcquire() else { return .queued }
                    _ = queue.remove(id)
                    waiting.subtract(1, ordering: .sequentiallyConsistent)
                    return .granted
                }
                switch enqueued {
                case .granted: continuation.resume()
                case .full: continuation.resume(throwing: rejection(queueFullCounter, "queue full"))
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .queued: startTimer(for: id)
                }
            }
        } onCancel: {
            let waiter = queue.withLock { queue -> Waiter? in
                guard let waiter = queue.remove(id) else {
                    queue.cancelledBeforeQueued.insert(id)
                    return nil
                }
                waiting.subtract(1, ordering: .sequentiallyConsistent)
                return waiter
            }
            waiter?.timer?.cancel()
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private func startTimer(for id: UInt64) {
        let deadline = clock.now.advanced(by: configuration.queueTimeout)
        let clock = self.clock
        let timer = Task { [weak self] in
            guard (try? await clock.sleep(until: deadline)) != nil else { return }
            self?.expire(id)
        }
        let stillQueued = queue.withLock { queue in
            guard queue.waiters[id] != nil else { return false }
            queue.waiters[id]?.timer = timer
            return true
        }
        if !stillQueued { timer.cancel() }
    }

    private func expire(_ id: UInt64) {
        let waiter = queue.withLock { queue -> Waiter? in
            guard let waiter = queue.remove(id) else { return nil }
            waiting.subtract(1, ordering: .sequentiallyConsistent)
            return waiter
        }
        waiter?.continuation.resume(throwing: rejection(queueTimeoutCounter, "queue timeout after \(configuration.queueTimeout)"))
    }

    private func rejection(_ counter: Counter, _ reason: String) -> ResilienceError {
        counter.increment()
        telemetry.logger.debug(
            "bulkhead rejected a call",
            metadata: ["event": "\(ResilienceTelemetryNames.bulkheadRejectionEvent)", "bulkhead.name": "\(name)", "bulkhead.reason": "\(reason)"]
        )
        return ResilienceError(.bulkheadFull, message: "bulkhead '\(name)': \(reason)")
    }
}
