import Synchronization

/// The locked part of a circuit breaker's state machine: everything but the lock-free closed-state path.
///
/// Methods run under the breaker's lock, publish the state word and the break's end to
/// ``BreakerHotState`` whenever they change the state, and return what must be done once the lock
/// is released (an event to deliver, a proposal or a flush signal for the authority). They never
/// call out themselves.
struct BreakerCore {
    /// What to do after the lock is released.
    struct Actions {
        var event: CircuitBreakerEvent?
        var proposal: CircuitBreakerProposal?
        var signalFlush = false
    }

    /// The outcome of asking for a permit on the locked path.
    enum Admission {
        case admit(CircuitBreaker.Permit)
        case reject(retryAfter: Duration?)
        case askAuthority(generation: UInt64)
    }

    let name: String
    let configuration: CircuitBreakerConfiguration
    let hot: BreakerHotState
    let counters: StripedCounters
    var window: BreakerWindow?

    private(set) var state: CircuitBreakerState = .closed
    private(set) var generation: UInt64 = 0
    var authority: (any CircuitBreakerAuthority)?
    var delegated = false
    var proposalRetryNanos: Int64 = 1_000_000_000
    private var consecutiveFailures = 0
    private var consecutiveOpens = 0
    private(set) var openedAt: Int64?
    private(set) var openUntil: Int64 = 0
    private var halfOpenSince: Int64 = 0
    private var probesGranted = 0
    private var probeSuccesses = 0
    private(set) var lastFailureAt: Int64?
    private(set) var lastFailureKind: ResilienceError.Code?
    private var pending: (to: CircuitBreakerState, generation: UInt64, at: Int64)?
    private var flushSignalled = false
    private var lastDrained = CircuitBreakerOutcomeCounts()
    /// The reason of the last transition decided locally while an authority was attached but unreachable
    /// (or not yet merged); `nil` when nothing was decided locally since the last merge.
    private(set) var localDecision: CircuitBreakerTransitionReason?
    /// Set when a merge kept the local state and proposed it: the authority's next answer is adopted whatever
    /// its generation, so that a local state never lives on under a generation of the authority.
    private var adoptNextUpdate = false
    /// Outcomes of half-open probes of `probeTally.generation` since the last drain.
    private var probeTally = CircuitBreakerProbeOutcomes(generation: 0)

    init(
        name: String,
        configuration: CircuitBreakerConfiguration,
        window: BreakerWindow?,
        hot: BreakerHotState,
        counters: StripedCounters
    ) {
        self.name = name
        self.configuration = configuration
        self.window = window
        self.hot = hot
        self.counters = counters
    }

    /// The window the configuration needs: one for a failure ratio or slow calls, none for consecutive failures alone.
    static func window(for configuration: CircuitBreakerConfiguration) -> BreakerWindow? {
        if case .ratio = configuration.failureThreshold.kind { return BreakerWindow(configuration.window) }
        return configuration.slowCalls == nil ? nil : BreakerWindow(configuration.window)
    }

    // MARK: Admission

    mutating func admit(now: Int64) -> Admission {
        switch state {
        case .closed:
            return .admit(CircuitBreaker.Permit(generation: generation, kind: .normal, start: now))
        case .disabled:
            return .admit(CircuitBreaker.Permit(generation: generation, kind: .untracked, start: now))
        case .isolated:
            return .reject(retryAfter: nil)
        case .open:
            // The break has not elapsed, or the authority has not yet answered the proposal to probe.
            return .reject(retryAfter: now < openUntil ? .nanoseconds(openUntil - now) : nil)
        case .halfOpen:
            if delegated { return .askAuthority(generation: generation) }
            return grantLocalProbe(now: now)
        }
    }

    /// Moves an open breaker whose break has elapsed on: to half-open locally, or by proposal.
    mutating func breakElapsed(now: Int64, actions: inout Actions) {
        guard state == .open, now >= openUntil else { return }
        transitionOrPropose(to: .halfOpen, reason: .breakElapsed, now: now, actions: &actions)
    }

    /// Reopens a half-open breaker that waited too long for its probes.
    mutating func checkHalfOpenTimeout(now: Int64, actions: inout Actions) -> Bool {
        guard state == .halfOpen, now - halfOpenSince >= configuration.halfOpen.maximumWait.clampedNanoseconds else { return false }
        transitionOrPropose(to: .open, reason: .halfOpenTimeout, now: now, actions: &actions)
        return true
    }

    mutating func grantLocalProbe(now: Int64) -> Admission {
        guard state == .halfOpen else { return .reject(retryAfter: nil) }
        guard probesGranted < configuration.halfOpen.permittedCalls else { return .reject(retryAfter: nil) }
        probesGranted += 1
        return .admit(CircuitBreaker.Permit(generation: generation, kind: .probe(byAuthority: false), start: now))
    }

    // MARK: Outcomes

    mutating func recordFailure(_ permit: CircuitBreaker.Permit, kind: ResilienceError.Code, slow: Bool, now: Int64) -> Actions {
        var actions = Actions()
        lastFailureAt = now
        lastFailureKind = kind
        if delegated && !flushSignalled {
            flushSignalled = true
            actions.signalFlush = true
        }
        switch (state, permit.kind) {
        case (.closed, .normal) where permit.generation == generation:
            consecutiveFailures += 1
            hot.failureStreak.store(consecutiveFailures, ordering: .relaxed)
            window?.record(failure: true, slow: slow, now: now, counters: counters)
            evaluateClosed(now: now, actions: &actions)
        case (.halfOpen, .probe) where permit.generation == generation:
            tallyProbe(failed: true)
            transitionOrPropose(to: .open, reason: .probeFailed, now: now, actions: &actions)
        default:
            break
        }
        return actions
    }

    mutating func recordLockedSuccess(_ permit: CircuitBreaker.Permit, slow: Bool, now: Int64) -> Actions {
        var actions = Actions()
        switch (state, permit.kind) {
        case (.closed, .normal) where permit.generation == generation:
            if consecutiveFailures != 0 {
                consecutiveFailures = 0
                hot.failureStreak.store(0, ordering: .relaxed)
            }
            if slow, window != nil {
                window?.record(failure: false, slow: true, now: now, counters: counters)
                evaluateClosed(now: now, actions: &actions)
            }
        case (.halfOpen, .probe) where permit.generation == generation:
            if slow && configuration.slowCalls != nil {
                tallyProbe(failed: true)
                transitionOrPropose(to: .open, reason: .slowCallThreshold, now: now, actions: &actions)
            } else {
                tallyProbe(failed: false)
                probeSuccesses += 1
                if probeSuccesses >= configuration.halfOpen.successThreshold {
                    transitionOrPropose(to: .closed, reason: .probesSucceeded, now: now, actions: &actions)
                }
            }
        default:
            break
        }
        return actions
    }

    /// Counts a probe outcome of the current generation, for the authority to count fleet-wide.
    private mutating func tallyProbe(failed: Bool) {
        if probeTally.generation != generation { probeTally = CircuitBreakerProbeOutcomes(generation: generation) }
        if failed { probeTally.failures += 1 } else { probeTally.successes += 1 }
    }

    /// The probe outcomes counted since the last call, with the generation that admitted them.
    mutating func drainProbes() -> CircuitBreakerProbeOutcomes? {
        guard probeTally.successes > 0 || probeTally.failures > 0 else { return nil }
        defer { probeTally = CircuitBreakerProbeOutcomes(generation: generation) }
        return probeTally
    }

    /// Gives back a probe permit whose call ended without an outcome (cancelled).
    mutating func releaseProbe(_ permit: CircuitBreaker.Permit) {
        if state == .halfOpen, permit.generation == generation, case .probe(false) = permit.kind, probesGranted > 0 {
            probesGranted -= 1
        }
    }

    private mutating func evaluateClosed(now: Int64, actions: inout Actions) {
        guard state == .closed else { return }
        if case .consecutive(let threshold) = configuration.failureThreshold.kind, consecutiveFailures >= threshold {
            transitionOrPropose(to: .open, reason: .failureThreshold, now: now, actions: &actions)
            return
        }
        guard let snapshot = window?.snapshot(now: now, counters: counters), snapshot.calls >= configuration.minimumThroughput else {
            return
        }
        if case .ratio(let ratio) = configuration.failureThreshold.kind, Double(snapshot.failures) >= ratio * Double(snapshot.calls) {
            transitionOrPropose(to: .open, reason: .failureThreshold, now: now, actions: &actions)
        } else if let slowCalls = configuration.slowCalls, Double(snapshot.slowCalls) >= slowCalls.ratio * Double(snapshot.calls) {
            transitionOrPropose(to: .open, reason: .slowCallThreshold, now: now, actions: &actions)
        }
    }

    /// Re-evaluates a closed breaker, such as when the authority became unreachable with a proposal pending.
    mutating func reevaluate(now: Int64) -> Actions {
        var actions = Actions()
        evaluateClosed(now: now, actions: &actions)
        return actions
    }

    // MARK: Transitions

    mutating func transitionOrPropose(
        to target: CircuitBreakerState,
        reason: CircuitBreakerTransitionReason,
        now: Int64,
        actions: inout Actions
    ) {
        guard delegated else {
            // Decided alone while an authority is attached: the merge must know (see ``merge(_:now:)``).
            if authority != nil { localDecision = reason }
            actions.event = transition(to: target, generation: generation &+ 1, reason: reason, now: now)
            return
        }
        if let pending, pending.to == target, pending.generation == generation, now - pending.at < proposalRetryNanos { return }
        pending = (target, generation, now)
        actions.proposal = CircuitBreakerProposal(
            breaker: name,
            from: state,
            to: target,
            generation: generation,
            reason: reason,
            at: ResilienceInstant(nanoseconds: now),
            breakDuration: target == .open ? configuration.breakDuration.duration(forOpen: consecutiveOpens + 1) : nil,
            window: windowSnapshot(now: now)
        )
    }

    /// Changes state locally, publishes it, and returns the event.
    mutating func transition(
        to target: CircuitBreakerState,
        generation newGeneration: UInt64,
        reason: CircuitBreakerTransitionReason,
        now: Int64,
        openedAt newOpenedAt: Int64? = nil,
        openUntil newOpenUntil: Int64? = nil
    ) -> CircuitBreakerEvent? {
        let previous = state
        state = target
        generation = newGeneration
        pending = nil
        switch target {
        case .open:
            if previous != .open { consecutiveOpens += 1 }
            openedAt = newOpenedAt ?? now
            openUntil =
                newOpenUntil
                ?? ResilienceInstant(nanoseconds: now).advanced(by: configuration.breakDuration.duration(forOpen: consecutiveOpens))
                .nanoseconds
        case .isolated:
            openedAt = newOpenedAt ?? now
            openUntil = .max
        case .halfOpen:
            halfOpenSince = now
            probesGranted = 0
            probeSuccesses = 0
        case .closed, .disabled:
            if previous != .closed || reason == .manual { resetCounts(now: now) }
            consecutiveOpens = 0
        }
        hot.openUntil.store(openUntil, ordering: .relaxed)
        hot.word.store(BreakerHotState.pack(state, generation), ordering: .releasing)
        guard previous != target else { return nil }
        return CircuitBreakerEvent(
            breaker: name,
            from: previous,
            to: target,
            generation: generation,
            reason: reason,
            at: ResilienceInstant(nanoseconds: now)
        )
    }

    private mutating func resetCounts(now: Int64) {
        consecutiveFailures = 0
        hot.failureStreak.store(0, ordering: .relaxed)
        window?.reset(now: now, counters: counters)
    }

    // MARK: Authority

    /// Applies a state decided by the authority; stale generations are ignored, except for the answer to a
    /// merge's proposal, which is adopted whatever its generation.
    mutating func apply(_ update: CircuitBreakerStateUpdate, now: Int64) -> (applied: Bool, event: CircuitBreakerEvent?) {
        guard update.generation > generation || adoptNextUpdate else { return (false, nil) }
        adoptNextUpdate = false
        let event = transition(
            to: update.state,
            generation: update.generation,
            reason: .authority,
            now: now,
            openedAt: update.openedAt?.nanoseconds,
            openUntil: update.openUntil?.nanoseconds
        )
        return (true, event)
    }

    /// Brings the authority's view and the local one together (see ``CircuitBreaker/merge(_:)`` for the rules).
    mutating func merge(_ remote: CircuitBreakerStateUpdate, now: Int64) -> Actions {
        var actions = Actions()
        delegated = authority != nil
        hot.joining.store(false, ordering: .relaxed)
        let decided = localDecision
        localDecision = nil
        // Probes counted on the fallback were of local generations: they never count for the authority's.
        probeTally = CircuitBreakerProbeOutcomes(generation: 0)
        let localWins: Bool
        switch decided {
        case nil:
            localWins = false
        case .manual?:
            // An operator's decision taken while the authority was away is carried to the fleet.
            localWins = state != remote.state
        case _?:
            localWins = state.conservativeness > remote.state.conservativeness
        }
        guard localWins else {
            adoptNextUpdate = false
            actions.event = transition(
                to: remote.state,
                generation: remote.generation,
                reason: .merge,
                now: now,
                openedAt: remote.openedAt?.nanoseconds ?? (remote.state == state ? openedAt : nil),
                openUntil: remote.openUntil?.nanoseconds ?? (remote.state == state ? openUntil : nil)
            )
            return actions
        }
        // The local state stays, under its local generation, until the authority answers the proposal.
        adoptNextUpdate = true
        actions.proposal = CircuitBreakerProposal(
            breaker: name,
            from: remote.state,
            to: state,
            generation: remote.generation,
            reason: decided == .manual ? .manual : .merge,
            at: ResilienceInstant(nanoseconds: now),
            breakDuration: state == .open ? .nanoseconds(max(0, openUntil - now)) : nil,
            window: windowSnapshot(now: now)
        )
        pending = (state, remote.generation, now)
        return actions
    }

    /// The counts since the last drain, without draining them.
    func undrained() -> CircuitBreakerOutcomeCounts {
        counters.totals - lastDrained
    }

    mutating func drain() -> CircuitBreakerOutcomeCounts {
        let totals = counters.totals
        let delta = totals - lastDrained
        lastDrained = totals
        flushSignalled = false
        return delta
    }

    mutating func windowSnapshot(now: Int64) -> CircuitBreakerWindowSnapshot {
        let snapshot = window?.snapshot(now: now, counters: counters) ?? (calls: 0, failures: 0, slowCalls: 0)
        return CircuitBreakerWindowSnapshot(
            calls: snapshot.calls,
            failures: snapshot.failures,
            slowCalls: snapshot.slowCalls,
            consecutiveFailures: consecutiveFailures
        )
    }

    mutating func clearPending() {
        pending = nil
    }
}
