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
    public func attach(authority: any CircuitBreakerAuthority, proposalRetryInterval: Duration = .seconds(1)) {
        core.withLock { core in
            core.authority = authority
            core.delegated = true
            core.proposalRetryNanos = max(0, proposalRetryInterval.clampedNanoseconds)
            core.clearPending()
        }
    }

    /// Detaches the authority: the breaker decides alone again, from its current state.
    public func detachAuthority() {
        let now = clock.now.nanoseconds
        let actions = core.withLock { core in
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
    /// may arrive twice or out of order (pub/sub and a poll racing). A change of state produces one
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

    /// Brings the local view and the authority's together when the authority is reachable again.
    ///
    /// The more conservative state wins (isolated > open > half-open > closed > disabled; see
    /// ``CircuitBreakerState/conservativeness``). When the authority's state wins or ties, it is adopted
    /// with its generation, whatever the local generation. When the local state wins, the breaker
    /// keeps it, takes the authority's generation (so that the authority's answer applies), and returns
    /// the proposal the authority should apply — it is also passed to ``CircuitBreakerAuthority/propose(_:for:)``.
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

    /// The outcome counts since the breaker was created, without resetting anything.
    public var outcomeTotals: CircuitBreakerOutcomeCounts {
        counters.totals
    }
}
