import Logging
import Metrics
import Synchronization
import Tracing

/// A circuit breaker: stops calling a dependency that keeps failing, and probes it before trusting it again.
///
/// While closed, deciding whether a call may pass is one atomic load of the state word; a success
/// adds one to a counter on a cache line of the calling thread's own (striped counters) and
/// writes nothing shared unless there were failures to forget. The lock is taken only for failures,
/// slow calls, probes and transitions. All state changes go through a locked state machine and are
/// published with a generation number that grows with every transition; each transition produces
/// exactly one ``CircuitBreakerEvent``.
///
/// By default the breaker decides alone. Attach a ``CircuitBreakerAuthority`` (the shared Redis
/// breaker) to make its transitions proposals that the authority decides cluster-wide; see there.
///
/// ```swift
/// let breaker = try CircuitBreaker(name: "payments")
/// let receipt = try await breaker.execute { try await payments.charge(order) }
/// ```
public final class CircuitBreaker: Sendable {
    /// The breaker's name, used in errors, events, logs and metrics.
    public let name: String
    /// The configuration.
    public let configuration: CircuitBreakerConfiguration
    /// The clock the breaker reads time from; an authority converts its instants to this clock.
    public let clock: any ResilienceClock

    let hot = BreakerHotState()
    let counters: StripedCounters
    let core: Mutex<BreakerCore>
    private let slowNanos: Int64
    private let bucketNanos: Int64?
    private let coarseBuckets: Bool
    private let rejectionMessage: String
    private let telemetry: ResilienceTelemetry
    private let stateGauge: Gauge
    private let rejectionCounter: Counter
    private let onEvent: (@Sendable (CircuitBreakerEvent) -> Void)?

    /// Creates a closed breaker.
    /// - Parameters:
    ///   - name: The name.
    ///   - configuration: How it trips and recovers; see ``CircuitBreakerConfiguration`` for the defaults.
    ///   - clock: The clock; the system clock by default.
    ///   - telemetry: Where logs and metrics go.
    ///   - onEvent: Called once for every transition, outside the breaker's lock.
    /// - Throws: ``ResilienceError`` when the configuration is invalid.
    public init(
        name: String,
        configuration: CircuitBreakerConfiguration = CircuitBreakerConfiguration(),
        clock: any ResilienceClock = SystemClock(),
        telemetry: ResilienceTelemetry = ResilienceTelemetry(),
        onEvent: (@Sendable (CircuitBreakerEvent) -> Void)? = nil
    ) throws(ResilienceError) {
        try configuration.validate()
        self.name = name
        self.configuration = configuration
        self.clock = clock
        self.telemetry = telemetry
        self.onEvent = onEvent
        slowNanos = configuration.slowCalls?.threshold.clampedNanoseconds ?? 0
        rejectionMessage = "circuit breaker '\(name)' rejected the call"
        let window = BreakerCore.window(for: configuration)
        counters = StripedCounters(slots: max(1, window?.successSlots ?? 0))
        bucketNanos = (window?.successSlots ?? 0) > 0 ? window?.bucketNanos : nil
        coarseBuckets = (bucketNanos ?? 0) >= 100_000_000
        core = Mutex(BreakerCore(name: name, configuration: configuration, window: window, hot: hot, counters: counters))
        stateGauge = telemetry.gauge(ResilienceTelemetryNames.breakerState, [("breaker", name)])
        rejectionCounter = telemetry.counter(ResilienceTelemetryNames.breakerRejections, [("breaker", name)])
        stateGauge.record(Int64(CircuitBreakerState.closed.rawValue))
    }

    /// The current state (one atomic load).
    public var state: CircuitBreakerState {
        BreakerHotState.state(of: hot.word.load(ordering: .acquiring))
    }

    /// The current generation (one atomic load).
    public var generation: UInt64 {
        hot.word.load(ordering: .acquiring) >> 3
    }

    // MARK: Calls

    /// Runs `operation` if the breaker lets it, and records its outcome.
    /// - Parameter operation: The guarded call.
    /// - Returns: What `operation` returned.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/breakerOpen`` when rejected
    ///   (with the rest of the break as `retryAfter` when known), or what `operation` threw.
    @inlinable
    public func execute<T>(_ operation: () async throws -> T) async throws -> T {
        let permit = try await admit()
        let value: T
        do {
            value = try await operation()
        } catch {
            await recordFailure(permit, reporting: error)
            throw error
        }
        recordSuccess(permit)
        return value
    }

    /// Asks leave to run one call as ``execute(_:)`` does: first waiting, while the breaker joins its authority,
    /// for the authority's state.
    /// - Returns: The permit; record the call's outcome with it.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/breakerOpen`` when rejected.
    @inlinable @inline(__always)
    func admit() async throws(ResilienceError) -> Permit {
        if isJoining { await awaitAuthorityState() }
        return try acquirePermit()
    }

    /// Records the failure of the call of `permit` as ``execute(_:)`` does, reporting it to the authority when
    /// one decides this breaker's transitions.
    /// - Parameters:
    ///   - permit: The permit of the call.
    ///   - error: What the call threw.
    @inlinable
    func recordFailure(_ permit: Permit, reporting error: any Error) async {
        if let authority = recordFailureForReport(permit, error: error) {
            await authority.reportFailure(for: self)
        }
    }

    /// Runs `operation` if the breaker lets it, handing it the permit (so that it knows the generation that
    /// admitted it and whether it is a probe), and records its outcome; otherwise like ``execute(_:)``.
    /// - Parameter operation: The guarded call.
    /// - Returns: What `operation` returned.
    /// - Throws: ``ResilienceError`` when rejected, or what `operation` threw.
    public func executeWithPermit<T>(_ operation: (Permit) async throws -> T) async throws -> T {
        let permit = try await admit()
        let value: T
        do {
            value = try await operation(permit)
        } catch {
            await recordFailure(permit, reporting: error)
            throw error
        }
        recordSuccess(permit)
        return value
    }

    /// Runs a synchronous `operation` if the breaker lets it, and records its outcome.
    /// - Parameter operation: The guarded call.
    /// - Returns: What `operation` returned.
    /// - Throws: ``ResilienceError`` when rejected, or what `operation` threw.
    @inlinable
    public func executeSync<T>(_ operation: () throws -> T) throws -> T {
        let permit = try acquirePermit()
        let value: T
        do {
            value = try operation()
        } catch {
            recordFailure(permit, error: error)
            throw error
        }
        recordSuccess(permit)
        return value
    }

    /// Asks leave to run one call; record its outcome with the returned permit.
    ///
    /// While closed this is a single atomic load (and a clock read when slow calls are tracked).
    /// - Returns: The permit.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/breakerOpen`` when rejected.
    public func acquirePermit() throws(ResilienceError) -> Permit {
        let word = hot.word.load(ordering: .acquiring)
        if word & 7 == 0 {
            return Permit(generation: word >> 3, kind: .normal, start: slowNanos > 0 ? clock.now.nanoseconds : 0)
        }
        return try acquireSlowly(word)
    }

    /// Records that the call of `permit` succeeded.
    /// - Parameter permit: The permit of the call.
    public func recordSuccess(_ permit: Permit) {
        if case .normal = permit.kind {
            let now = slowNanos > 0 ? clock.now.nanoseconds : 0
            if slowNanos == 0 || now - permit.start < slowNanos {
                counters.increment(.successes)
                if let bucketNanos {
                    // A bucket is at least 100 ms when the coarse clock is used, so its few ms of lag do not matter.
                    let bucketTime = slowNanos > 0 ? now : (coarseBuckets ? clock.coarseNow.nanoseconds : clock.now.nanoseconds)
                    counters.incrementSlot(epoch: UInt64(bitPattern: bucketTime / bucketNanos))
                }
                if hot.failureStreak.load(ordering: .relaxed) == 0 { return }
                recordLockedSuccess(permit, slow: false, now: now, counted: true)
            } else {
                recordLockedSuccess(permit, slow: true, now: now, counted: false)
            }
        } else {
            recordUnusualSuccess(permit)
        }
    }

    /// Records that the call of `permit` failed with `error`.
    ///
    /// Whether the error counts as a failure is decided by the configuration (``CircuitBreakerConfiguration/isFailure``,
    /// else ``CircuitBreakerConfiguration/failureKinds``); an error that does not count is recorded as a success,
    /// and a cancellation releases the permit without an outcome.
    /// - Parameters:
    ///   - permit: The permit of the call.
    ///   - error: What the call threw.
    public func recordFailure(_ permit: Permit, error: any Error) {
        _ = recordFailureForReport(permit, error: error)
    }

    /// Records a failure and returns the authority to report it to, when the error counted as a failure and
    /// an authority decides this breaker's transitions.
    @usableFromInline
    func recordFailureForReport(_ permit: Permit, error: any Error) -> (any CircuitBreakerAuthority)? {
        let kind = ResilienceError.Code(classifying: error)
        // A cancelled call says nothing about the dependency, whatever it threw when cancelled (a hedge that lost,
        // a caller that left): the permit goes back without an outcome.
        if kind == .cancelled || Task.isCancelled {
            release(permit)
            return nil
        }
        guard configuration.isFailure?(error) ?? configuration.failureKinds.contains(kind) else {
            recordSuccess(permit)
            return nil
        }
        let now = clock.now.nanoseconds
        let slow = slowNanos > 0 && now - permit.start >= slowNanos
        counters.increment(.failures)
        if slow { counters.increment(.slowCalls) }
        if case .untracked = permit.kind { return nil }
        let (actions, authority, delegated) = core.withLock { core in
            (core.recordFailure(permit, kind: kind, slow: slow, now: now), core.authority, core.delegated)
        }
        perform(actions, authority: authority)
        return delegated ? authority : nil
    }

    /// Gives the permit back without an outcome, such as when the call was cancelled.
    /// - Parameter permit: The permit of the call.
    public func release(_ permit: Permit) {
        guard case .probe(let byAuthority) = permit.kind else { return }
        let authority = core.withLock { core in
            core.releaseProbe(permit)
            return core.authority
        }
        if byAuthority { authority?.releaseProbePermit(for: self, generation: permit.generation) }
    }

    // MARK: Slow paths

    private func acquireSlowly(_ word: UInt64) throws(ResilienceError) -> Permit {
        let now = clock.now.nanoseconds
        switch BreakerHotState.state(of: word) {
        case .disabled:
            return Permit(generation: word >> 3, kind: .untracked, start: now)
        case .isolated:
            throw reject(retryAfter: nil)
        case .open:
            let until = hot.openUntil.load(ordering: .relaxed)
            if now < until { throw reject(retryAfter: .nanoseconds(until - now)) }
        case .closed, .halfOpen:
            break
        }
        var actions = BreakerCore.Actions()
        let (admission, authority) = core.withLock { core -> (BreakerCore.Admission, (any CircuitBreakerAuthority)?) in
            core.breakElapsed(now: now, actions: &actions)
            if core.checkHalfOpenTimeout(now: now, actions: &actions) { return (.reject(retryAfter: nil), core.authority) }
            return (core.admit(now: now), core.authority)
        }
        perform(actions, authority: authority)
        switch admission {
        case .admit(let permit):
            return permit
        case .reject(let retryAfter):
            throw reject(retryAfter: retryAfter)
        case .askAuthority(let generation):
            switch authority?.acquireProbePermit(for: self, generation: generation) ?? .decideLocally {
            case .granted:
                return Permit(generation: generation, kind: .probe(byAuthority: true), start: now)
            case .denied:
                throw reject(retryAfter: nil)
            case .decideLocally:
                if case .admit(let permit) = core.withLock({ $0.grantLocalProbe(now: now) }) { return permit }
                throw reject(retryAfter: nil)
            }
        }
    }

    private func reject(retryAfter: Duration?) -> ResilienceError {
        counters.increment(.rejections)
        rejectionCounter.increment()
        PipelineSpan.addEvent(
            ResilienceTelemetryNames.breakerRejectedSpanEvent,
            ["bulwark.breaker.name": "\(name)", "bulwark.breaker.state": "\(state)"]
        )
        return ResilienceError(.breakerOpen, message: rejectionMessage, retryAfter: retryAfter)
    }

    private func recordUnusualSuccess(_ permit: Permit) {
        switch permit.kind {
        case .untracked:
            counters.increment(.successes)
        case .probe, .normal:
            let now = clock.now.nanoseconds
            recordLockedSuccess(permit, slow: slowNanos > 0 && now - permit.start >= slowNanos, now: now, counted: false)
        }
    }

    private func recordLockedSuccess(_ permit: Permit, slow: Bool, now: Int64, counted: Bool) {
        if slow {
            // Slow successes go into the window under the lock; a count window never folds them.
            counters.increment(.slowSuccesses)
            counters.increment(.slowCalls)
        } else if !counted {
            counters.increment(.successes)
        }
        let (actions, authority) = core.withLock { core in
            let actions = core.recordLockedSuccess(permit, slow: slow, now: now)
            return (actions, core.authority)
        }
        perform(actions, authority: authority)
    }

    func perform(_ actions: BreakerCore.Actions, authority: (any CircuitBreakerAuthority)?) {
        if let event = actions.event { deliver(event) }
        if let proposal = actions.proposal, let authority {
            telemetry.logger.debug(
                "circuit breaker proposes a transition",
                metadata: [
                    "event": "\(ResilienceTelemetryNames.breakerProposalEvent)", "breaker.name": "\(name)",
                    "breaker.from": "\(proposal.from)", "breaker.to": "\(proposal.to)", "breaker.reason": "\(proposal.reason)",
                ]
            )
            authority.propose(proposal, for: self)
        }
        if actions.signalFlush { authority?.outcomesNeedFlush(for: self) }
    }

    func deliver(_ event: CircuitBreakerEvent) {
        stateGauge.record(Int64(event.to.rawValue))
        let metadata: Logger.Metadata = [
            "event": "\(ResilienceTelemetryNames.breakerTransitionEvent)", "breaker.name": "\(name)",
            "breaker.from": "\(event.from)", "breaker.to": "\(event.to)", "breaker.reason": "\(event.reason)",
            "breaker.generation": "\(event.generation)",
        ]
        if event.reason == .authority {
            // Decided elsewhere (a shared breaker's Redis script): the authority counts and logs it once for
            // the fleet; this instance only follows.
            telemetry.logger.debug("circuit breaker follows its authority", metadata: metadata)
        } else {
            telemetry.counter(
                ResilienceTelemetryNames.breakerTransitions,
                [("breaker", name), ("from", event.from.description), ("to", event.to.description)]
            ).increment()
            telemetry.logger.info("circuit breaker changed state", metadata: metadata)
        }
        onEvent?(event)
    }
}
