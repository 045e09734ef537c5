import Synchronization

extension CircuitBreaker {
    /// Forces the breaker open (isolates it): every call is rejected until ``reset()``.
    ///
    /// With an authority attached and reachable this is proposed to it, which applies it cluster-wide.
    public func isolate() {
        manual(.isolated)
    }

    /// Switches the breaker off: every call passes and nothing trips it until ``reset()``.
    ///
    /// With an authority attached and reachable this is proposed to it.
    public func disable() {
        manual(.disabled)
    }

    /// Closes the breaker and empties its window, from any state.
    ///
    /// With an authority attached and reachable this is proposed to it.
    public func reset() {
        manual(.closed)
    }

    /// A snapshot of the state, window and counts.
    public var stats: CircuitBreakerStats {
        let now = clock.now.nanoseconds
        return core.withLock { core in
            CircuitBreakerStats(
                name: name,
                state: core.state,
                generation: core.generation,
                window: core.windowSnapshot(now: now),
                totals: counters.totals,
                openedAt: core.openedAt.map { ResilienceInstant(nanoseconds: $0) },
                openUntil: core.state == .open ? ResilienceInstant(nanoseconds: core.openUntil) : nil,
                lastFailureAt: core.lastFailureAt.map { ResilienceInstant(nanoseconds: $0) },
                lastFailureKind: core.lastFailureKind,
                isDelegated: core.delegated
            )
        }
    }

    private func manual(_ target: CircuitBreakerState) {
        let now = clock.now.nanoseconds
        var actions = BreakerCore.Actions()
        let authority = core.withLock { core in
            core.transitionOrPropose(to: target, reason: .manual, now: now, actions: &actions)
            return core.authority
        }
        perform(actions, authority: authority)
    }
}
