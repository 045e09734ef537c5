import Logging
import Metrics

/// Limits how long a call may take, without ever sending a signal.
///
/// Three ways to give up, because work differs in how it honours deadlines and cancellation:
/// - ``execute(_:)`` with ``Enforcement/cancel`` (the default) — cooperative: at the deadline the call's task is
///   cancelled and the policy waits for it to finish (work that checks cancellation ends at once), then throws
///   ``ResilienceError/Code-swift.struct/timeout``. The call runs in a child task: a few microseconds.
/// - ``execute(_:)`` with ``Enforcement/deadline`` — the call runs inline and honours the deadline itself, read
///   from ``ResilienceDeadline`` and handed on to what it calls (an HTTP client's deadline, a Redis command
///   timeout). Nothing is spawned: tens of nanoseconds. When the call fails at or after the deadline, the policy
///   throws ``ResilienceError/Code-swift.struct/timeout``; a call that ignores the deadline is not stopped.
/// - ``executeOrAbandon(_:)`` — give up waiting: at the deadline the call is cancelled *and* the
///   policy returns at once, leaving work that ignores cancellation to finish on its own in the background.
///
/// ```swift
/// let timeout = TimeoutPolicy(timeout: .seconds(5))
/// let page = try await timeout.execute { try await fetch(url) }
/// ```
public struct TimeoutPolicy: Sendable {
    /// How ``execute(_:)`` makes a call end at the deadline.
    public enum Enforcement: String, Sendable, Hashable, CaseIterable {
        /// The call runs in a child task that is cancelled at the deadline; for work that honours cancellation.
        case cancel
        /// The call runs inline and honours ``ResilienceDeadline`` itself; nothing is spawned.
        case deadline
    }

    private enum Outcome<T: Sendable>: Sendable {
        case value(T)
        case timedOut
    }

    /// The name, used in errors, logs and metrics.
    public let name: String
    /// The longest a call may take.
    public let timeout: Duration
    /// How ``execute(_:)`` makes a call end at the deadline.
    public let enforcement: Enforcement
    @usableFromInline
    let clock: any ResilienceClock
    /// ``timeout`` in nanoseconds, converted once rather than on every call.
    @usableFromInline
    let timeoutNanoseconds: Int64
    private let telemetry: ResilienceTelemetry
    private let timeoutCounter: Counter
    private let deadlines: DeadlineTimer

    /// Creates a timeout.
    /// - Parameters:
    ///   - name: The name; `timeout` by default.
    ///   - timeout: The limit; must be positive.
    ///   - enforcement: How ``execute(_:)`` ends a call at the deadline; ``Enforcement/cancel`` by default.
    ///   - clock: The clock; the system clock by default.
    ///   - telemetry: Where logs and metrics go.
    public init(
        name: String = "timeout",
        timeout: Duration,
        enforcement: Enforcement = .cancel,
        clock: any ResilienceClock = SystemClock(),
        telemetry: ResilienceTelemetry = ResilienceTelemetry()
    ) {
        precondition(timeout > .zero, "TimeoutPolicy.timeout must be positive")
        self.name = name
        self.timeout = timeout
        self.enforcement = enforcement
        self.clock = clock
        timeoutNanoseconds = timeout.clampedNanoseconds
        self.telemetry = telemetry
        timeoutCounter = telemetry.counter(ResilienceTelemetryNames.timeouts, [("timeout", name)])
        deadlines = DeadlineTimer(clock: clock)
    }

    /// Runs `operation` until the deadline, as ``enforcement`` says.
    ///
    /// With ``Enforcement/cancel`` it runs in a child task that is cancelled at the deadline, and the policy waits
    /// for it to end; the deadline is kept by the policy's shared timer, so a call costs one child task and no
    /// system timer. With ``Enforcement/deadline`` it runs inline with ``ResilienceDeadline`` set, and a failure
    /// at or after the deadline is reported as the timeout. Either way a ``RetryPolicy`` inside does not start a
    /// wait that would end past the deadline.
    /// - Parameter operation: The call; it should honour cancellation (``Enforcement/cancel``) or
    ///   ``ResilienceDeadline`` (``Enforcement/deadline``).
    /// - Returns: What `operation` returned: before the deadline, or after it when it ignored a deadline it was
    ///   trusted with (``Enforcement/deadline``).
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/timeout`` at the deadline,
    ///   or what `operation` threw before it.
    @inlinable
    public func execute<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        let deadline = clock.now.advanced(byNanoseconds: timeoutNanoseconds)
        switch enforcement {
        case .cancel:
            return try await CallDeadline(instant: deadline, clock: clock).apply {
                try await race(operation, until: deadline)
            }
        case .deadline:
            return try await trusting(operation, until: deadline)
        }
    }

    /// Runs `operation` inline under `deadline`; what it throws at or after the deadline is this timeout.
    @inlinable
    func trusting<T: Sendable>(_ operation: @Sendable () async throws -> T, until deadline: ResilienceInstant) async throws -> T {
        let callDeadline = CallDeadline(instant: deadline, clock: clock)
        do {
            return try await callDeadline.apply(operation)
        } catch {
            // Its own timeout or an I/O error at the deadline: the deadline ended it. The caller's own cancellation
            // stays a cancellation, which breakers do not count.
            guard callDeadline.remaining <= .zero, !Task.isCancelled else { throw error }
            throw timedOut()
        }
    }

    @usableFromInline
    func race<T: Sendable>(_ operation: @Sendable () async throws -> T, until deadline: ResilienceInstant) async throws -> T {
        try await withoutActuallyEscaping(operation) { operation in
            try await withThrowingTaskGroup(of: Void.self) { group in
                let race = RaceToResume<Outcome<T>>()
                group.addTask {
                    do {
                        race.finish(.success(.value(try await operation())))
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                let timer = deadlines.schedule(at: deadline) { race.finish(.success(.timedOut)) }
                let outcome: Outcome<T>
                do {
                    outcome = try await withTaskCancellationHandler {
                        try await race.value()
                    } onCancel: {
                        race.finish(.failure(CancellationError()))
                    }
                } catch {
                    deadlines.cancel(timer)
                    group.cancelAll()
                    throw error
                }
                deadlines.cancel(timer)
                switch outcome {
                case .value(let value):
                    return value
                case .timedOut:
                    group.cancelAll()
                    try? await group.waitForAll()
                    throw timedOut()
                }
            }
        }
    }

    /// Runs `operation` and stops waiting for it at the deadline, cancelling it but not waiting for it to end.
    /// - Parameter operation: The call; it may ignore cancellation, and then finishes in the background.
    /// - Returns: What `operation` returned before the deadline.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/timeout`` at the deadline,
    ///   `CancellationError` when the caller is cancelled, or what `operation` threw before the deadline.
    public func executeOrAbandon<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let deadline = clock.now.advanced(byNanoseconds: timeoutNanoseconds)
        let clock = self.clock
        let race = RaceToResume<T>()
        // The work inherits the deadline, so that a retry inside it does not wait past it.
        let work = await CallDeadline(instant: deadline, clock: clock).apply {
            Task {
                do {
                    race.finish(.success(try await operation()))
                } catch {
                    race.finish(.failure(error))
                }
            }
        }
        let timer = Task {
            try await clock.sleep(until: deadline)
            if race.finish(.failure(timedOut())) { work.cancel() }
        }
        race.onFinish { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await race.value()
        } onCancel: {
            race.finish(.failure(CancellationError()))
            work.cancel()
        }
    }

    /// Runs a synchronous `operation` and discards its result when it ran past the deadline.
    ///
    /// A synchronous call cannot be interrupted without a signal, so the deadline is checked when it returns.
    /// - Parameter operation: The call.
    /// - Returns: What `operation` returned, if in time.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/timeout`` when it ran too long,
    ///   or what `operation` threw.
    public func executeSync<T>(_ operation: () throws -> T) throws -> T {
        let deadline = clock.now.advanced(byNanoseconds: timeoutNanoseconds)
        let value = try operation()
        if clock.now > deadline { throw timedOut() }
        return value
    }

    @usableFromInline
    func timedOut() -> ResilienceError {
        timeoutCounter.increment()
        telemetry.logger.debug(
            "call timed out",
            metadata: ["event": "\(ResilienceTelemetryNames.timeoutEvent)", "timeout.name": "\(name)", "timeout.limit": "\(timeout)"]
        )
        return ResilienceError(.timeout, message: "'\(name)' timed out after \(timeout)")
    }
}
