import Logging
import Metrics
import RedisClient
import Resilience
import Synchronization

extension SharedBreakerRegistry {
    /// Performs queued jobs one at a time, in order, until the queue finishes.
    func processJobs() async {
        for await job in jobs {
            await perform(job)
        }
    }

    func perform(_ job: SharedBreakerJob) async {
        switch job {
        case .flush(let name):
            guard let entry = entry(name) else { return }
            await flush(name, entry)
        case .propose(let name, let proposal):
            guard let entry = entry(name), let authority = entry.authority, let breakerName = try? BreakerName(name) else { return }
            await propose(proposal, name: breakerName, entry: entry, authority: authority)
        case .claimProbe(let name, let generation):
            guard let entry = entry(name), let authority = entry.authority, let breakerName = try? BreakerName(name) else { return }
            let snapshot = await guarded { store in try await store.claimProbe(breakerName, generation: generation) }
            authority.claimFinished(generation: generation, claimed: snapshot?.claimedProbe ?? false)
            if let snapshot { apply(snapshot, to: entry) }
        case .synchronize(let name):
            guard let entry = entry(name), let breakerName = try? BreakerName(name) else { return }
            guard let snapshot = await guarded({ store in try await store.read(breakerName) }) else { return }
            entry.authority?.opensSoFar = snapshot.consecutiveOpens
            // Merging re-delegates the breaker and proposes the local state when it is the more conservative.
            if entry.authority != nil { entry.breaker.merge(snapshot.update(on: entry.breaker.clock)) }
        }
    }

    func entry(_ name: String) -> Entry? {
        entries.withLock { $0[name] }
    }

    /// Reports the outcomes counted since the last flush. On the fallback nothing is drained, so the counts
    /// reach Redis with the first flush after it returns.
    func flush(_ name: String, _ entry: Entry, localTrips: Bool = false) async {
        // Failing calls waiting now are answered by this flush, whatever its outcome.
        let waiters = entry.authority?.takeFailureWaiters() ?? []
        defer { entry.authority?.resumeFailureWaiters(waiters) }
        guard !fallback.isOn, let breakerName = try? BreakerName(name) else { return }
        let counts = entry.breaker.drainOutcomes()
        guard !counts.isEmpty || localTrips else { return }
        let opens = entry.authority?.opensSoFar ?? 0
        let snapshot = await guarded { store in
            try await store.record(
                breakerName,
                instance: options.instanceID,
                counts: counts,
                totals: entry.breaker.stats.totals,
                localTrips: localTrips,
                localState: entry.breaker.state,
                rules: entry.rules,
                opensSoFar: opens
            )
        }
        if let snapshot { apply(snapshot, to: entry) }
    }

    private func propose(
        _ proposal: CircuitBreakerProposal,
        name: BreakerName,
        entry: Entry,
        authority: SharedBreakerAuthority
    ) async {
        if proposal.from == .closed, proposal.to == .open, proposal.reason != .merge {
            // A trip seen by this instance's own window: Redis decides from the pooled (or quorum) view.
            await flush(name.value, entry, localTrips: true)
            return
        }
        let opens = authority.opensSoFar
        let snapshot = await guarded { store in
            try await store.propose(
                name,
                to: proposal.to,
                reason: proposal.reason,
                generation: proposal.generation,
                rules: entry.rules,
                opensSoFar: opens
            )
        }
        if let snapshot { apply(snapshot, to: entry) }
    }

    /// Applies what Redis answered; logs the transition when this instance's script made it, so that
    /// each transition is logged once in the fleet.
    func apply(_ snapshot: SharedBreakerSnapshot, to entry: Entry) {
        entry.authority?.opensSoFar = snapshot.consecutiveOpens
        guard entry.authority != nil else { return }
        let previous = entry.breaker.state
        entry.breaker.apply(snapshot.update(on: entry.breaker.clock))
        if snapshot.changed {
            Counter(
                label: ResilienceTelemetryNames.breakerTransitions,
                dimensions: [("breaker", entry.breaker.name), ("from", previous.description), ("to", snapshot.state.description)]
            ).increment()
            logger.info(
                "breaker transition",
                metadata: [
                    "breaker.name": "\(entry.breaker.name)",
                    "breaker.state": "\(snapshot.state)",
                    "breaker.generation": "\(snapshot.generation)",
                ]
            )
        }
    }
}
