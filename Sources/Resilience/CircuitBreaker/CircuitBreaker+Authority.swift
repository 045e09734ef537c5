import Synchronization

extension CircuitBreaker {
    /// Attaches the authority that decides this breaker's transitions from now on.
    ///
    /// From then on the local machine proposes instead of transitioning, asks the authority for
    /// half-open probe permits, and signals it when outcomes should be flushed (see
    /// ``CircuitBreakerAuthority``). Follow with ``merge(_:)`` once the authority's current state is
    /// known, so that the two views agree.
    /// - Parameters:
    ///   - authority: The authority.
    ///   - proposalRetryInterval: How long an unanswered proposal is left before it is made again while
    ///     its cause persists; 1 s by default.
    ///   - awaitingFirstMerge: When `true`, the breaker decides locally until the first ``merge(_:)``, and
    ///     calls through ``execute(_:)`` first wait for that merge as long as
    ///     ``CircuitBreakerAuthority/awaitFirstState(for:)`` lets them, so that a new instance knows the
    ///     authority's state before its first decision. When `false` (the default) it is delegated at once.
    public func attach(authority: any CircuitBreakerAuthority, proposalRetryInterval: Duration = .seconds(1), awaitingFirstMerge: Bool = false) {
        core.withLock { core in
            core.authority = authority
            core.delegated = !awaitingFirstMerge
            core.proposalRetryNanos = max(0, proposalRetryInterval.clampedNanoseconds)
            core.clearPending()
            hot.joining.store(awaitingFirstMerge, ordering: .relaxed)
        }
    }

    /// Whether calls still wait for the authority's first state; read on every ``execute(_:)``.
    @usableFromInline
    var isJoining: Bool {
        hot.joining.load(ordering: .relaxed)
    }

    /// Waits, as long as the authority lets it, for the first ``merge(_:)``; decides locally afterwards if
    /// it did not come.
    @usableFromInline
    func awaitAuthorityState() async {
        guard let authority = core.withLock({ $0.authority }) else { return }
        await authority.awaitFirstState(for: self)
        // Not merged in time: decide locally from now on; the merge delegates when it comes.
        hot.joining.store(false, ordering: .relaxed)
    }

    /// Detaches the authority: the breaker decides alone again, from its current state.
    public func detachAuthority() {
        let now = clock.now.nanoseconds
        let actions = core.withLock { core in
            hot.joining.store(false, ordering: .relaxed)
            core.authority = nil
            core.delegated = false
            core.clearPending()
            return core.reevaluate(now: now)
        }
        perform(actions, authority: nil)
    }

    /// The authority cannot be reached: decide locally, with the same configuration, until ``merge(_:)``.
    ///
    /// A trip that was proposed but not answered is decided locally at once.
    public func authorityDidBecomeUnavailable() {
        let now = clock.now.nanoseconds
        let actions = core.withLock { core in
            hot.joining.store(false, ordering: .relaxed)
            core.delegated = false
            core.clearPending()
            return core.reevaluate(now: now)
        }
        perform(actions, authority: nil)
    }

    /// Whether transitions are decided by an authority right now (attached and reachable).
    public var isDelegated: Bool {
        core.withLock { $0.delegated }
    }

    /// Applies a state decided by the authority.
    ///
    /// An update whose generation is not greater than the breaker's is stale and ignored, so updates
    /// may arrive twice or out of order (pub/sub and a poll racing). The one exception is the first update
    /// after a ``merge(_:)`` that kept the local state: it is the authority's answer to that state and is
    /// adopted whatever its generation. A change of state produces one
    /// ``CircuitBreakerEvent`` with reason ``CircuitBreakerTransitionReason/authority``.
    /// - Parameter update: The state, generation and break.
    /// - Returns: Whether the update was applied.
    @discardableResult
    public func apply(_ update: CircuitBreakerStateUpdate) -> Bool {
        let now = clock.now.nanoseconds
        let (applied, event) = core.withLock { $0.apply(update, now: now) }
        if let event { deliver(event) }
        return applied
    }

    /// Brings the local view and the authority's together when the authority is reachable again (after an
    /// outage, a gap in its announcements, or for the first time).
    ///
    /// - When nothing was decided locally since the breaker was last delegated, the authority's state is
    ///   adopted with its generation, whatever the local state and generation.
    /// - When the breaker transitioned on its own meanwhile, the more conservative state wins (isolated >
    ///   open > half-open > closed > disabled; see ``CircuitBreakerState/conservativeness``); a manual
    ///   decision (``isolate()``, ``disable()``, ``reset()``) taken meanwhile wins whatever it is.
    /// - When the authority's state wins it is adopted as above. When the local state wins, the breaker keeps
    ///   it under its own generation and returns the proposal made to the authority (also passed to
    ///   ``CircuitBreakerAuthority/propose(_:for:)``, with reason ``CircuitBreakerTransitionReason/manual``
    ///   for a manual decision); the authority's next update is adopted whatever its generation.
    ///
    /// Either way the breaker is delegated again afterwards.
    /// - Parameter remote: The authority's current state.
    /// - Returns: The proposal made to the authority, or `nil` when the authority's state was adopted.
    @discardableResult
    public func merge(_ remote: CircuitBreakerStateUpdate) -> CircuitBreakerProposal? {
        let now = clock.now.nanoseconds
        let (actions, authority) = core.withLock { core in (core.merge(remote, now: now), core.authority) }
        perform(actions, authority: authority)
        return actions.proposal
    }

    /// The outcome counts since the previous drain, and resets the flush signal.
    ///
    /// Cheap: sums the per-thread counters without stopping callers. The counters are monotonic, so
    /// nothing is lost or counted twice between two drains.
    /// - Returns: The counts since the previous call.
    public func drainOutcomes() -> CircuitBreakerOutcomeCounts {
        core.withLock { $0.drain() }
    }

    /// The outcome counts that the next ``drainOutcomes()`` would return, without draining them, so that an
    /// authority can decide whether they are worth a flush yet.
    public var undrainedOutcomes: CircuitBreakerOutcomeCounts {
        core.withLock { $0.undrained() }
    }

    /// The half-open probe outcomes since the previous call, with the generation that admitted them; `nil`
    /// when no probe of the current generation ended since.
    public func drainProbeOutcomes() -> CircuitBreakerProbeOutcomes? {
        core.withLock { $0.drainProbes() }
    }

    /// Whether the breaker transitioned on its own since it was last delegated (on the fallback).
    public var hasLocalDecision: Bool {
        core.withLock { $0.localDecision != nil }
    }

    /// The outcome counts since the breaker was created, without resetting anything.
    public var outcomeTotals: CircuitBreakerOutcomeCounts {
        counters.totals
    }
}
