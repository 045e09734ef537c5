import Logging
import Metrics
import RedisClient
import Resilience
import Synchronization

extension SharedBreakerRegistry {
    /// Performs queued jobs one at a time, in order, until the queue finishes.
    func processJobs() async {
        while let job = await jobQueue.next() {
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
            guard let entry = entry(name), let authority = entry.authority, let breakerName = try? BreakerName(name) else { return }
            let appliedBefore = authority.appliedUpdateCount
            guard var snapshot = await guarded({ store in try await store.read(breakerName) }) else { return }
            if snapshot.generation == 0, authority.knownRedisGeneration > 0 {
                // Redis lost this breaker (restarted empty, flushed, expired): the fleet's decision survives in
                // the instances, so re-seed it from this one's state, forced states included.
                guard let seeded = await reseed(breakerName, entry: entry) else { return }
                snapshot = seeded
            }
            let read = snapshot
            // Adopts Redis's state, or merges when this breaker decided on its own meanwhile; delegates again.
            // When a newer published transition was applied while the read (or re-seed) was under way, the
            // read is stale: read again.
            let merged = authority.mergeUnlessOvertaken(
                read: read.generation,
                since: appliedBefore,
                breakerGeneration: { entry.breaker.generation },
                wentBack: { known in
                    // Redis lost this breaker and decided again since, with a clock behind its old one: what it
                    // decided is the fleet's state now (every other instance reads the same), so it is adopted.
                    logger.warning(
                        "Redis's generation of a breaker went back (its data was lost): adopting its state",
                        metadata: [
                            "breaker.name": "\(name)", "breaker.generation": "\(read.generation)", "breaker.known_generation": "\(known)",
                        ]
                    )
                }
            ) {
                authority.opensSoFar = read.consecutiveOpens
                entry.breaker.merge(read.update(on: entry.breaker.clock))
            }
            guard merged else {
                jobQueue.enqueue(.synchronize(name))
                return
            }
            authority.firstStateArrived()
        }
    }

    /// Writes this instance's state of a breaker Redis lost back to Redis, keeping its generation.
    private func reseed(_ name: BreakerName, entry: Entry) async -> SharedBreakerSnapshot? {
        let stats = entry.breaker.stats
        let remaining = stats.openUntil.map { entry.breaker.clock.now.duration(to: $0) } ?? .zero
        let snapshot = await guarded { store in
            try await store.seed(
                name,
                state: stats.state,
                generation: stats.generation,
                remainingBreak: max(.zero, remaining),
                rules: entry.rules,
                retention: retention
            )
        }
        if let snapshot, snapshot.changed {
            logger.warning(
                "Redis lost a breaker's state: re-seeded it from this instance",
                metadata: [
                    "breaker.name": "\(name.value)", "breaker.state": "\(snapshot.state)", "breaker.generation": "\(snapshot.generation)",
                ]
            )
        }
        return snapshot
    }

    func entry(_ name: String) -> Entry? {
        entries.withLock { $0[name] }
    }

    /// Reports the outcomes counted since the last flush. On the fallback nothing is drained, so the counts
    /// reach Redis with the first flush after it returns.
    func flush(_ name: String, _ entry: Entry, localTrips: Bool = false) async {
        guard !fallback.isOn, let breakerName = try? BreakerName(name) else {
            entry.authority?.releaseFailureWaiters()
            return
        }
        // Failing calls waiting now are answered by this flush, whatever its outcome.
        let started = entry.authority?.startFlush(entry.breaker) ?? SharedBreakerFlush(counts: entry.breaker.drainOutcomes())
        defer { entry.authority?.finishFlush(started) }
        let counts = started.counts
        let probes = entry.breaker.drainProbeOutcomes()
        guard !counts.isEmpty || probes != nil || localTrips else { return }
        let opens = entry.authority?.opensSoFar ?? 0
        let snapshot = await guarded { store in
            try await store.record(
                breakerName,
                instance: options.instanceID,
                counts: counts,
                newestSuccessAge: started.newestSuccessAge,
                totals: entry.breaker.stats.totals,
                localTrips: localTrips,
                localState: entry.breaker.state,
                probes: probes,
                rules: entry.rules,
                opensSoFar: opens,
                retention: retention,
                headroomHorizonMilliseconds: entry.authority?.flushPolicy.horizonMilliseconds ?? 0
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
        let quorumMerge: Bool
        if case .quorum = entry.rules.scope { quorumMerge = proposal.reason == .merge } else { quorumMerge = false }
        if proposal.from == .closed, proposal.to == .open, proposal.reason != .manual, proposal.reason != .merge || quorumMerge {
            // A trip seen by this instance's own window: Redis decides from the pooled (or quorum) view. Under
            // quorum scope a trip taken on the fallback is one instance's vote too, never the fleet's decision.
            await flush(name.value, entry, localTrips: true)
            return
        }
        if proposal.reason == .manual {
            await applyManual(proposal.to, name: name, entry: entry)
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

    /// Applies a manual control of a breaker (`isolate()`, `disable()`, `reset()`) as an operator's command, so
    /// that the whole fleet follows; when Redis cannot take it, says so loudly: the breaker stays as it was.
    private func applyManual(_ target: CircuitBreakerState, name: BreakerName, entry: Entry) async {
        do {
            try await command(Self.command(for: target), breaker: name.value)
        } catch {
            logger.error(
                "manual control of a shared breaker was not applied: Redis did not take it",
                metadata: ["breaker.name": "\(name.value)", "breaker.target": "\(target)", "redis.error": "\(error)"]
            )
        }
    }

    static func command(for target: CircuitBreakerState) -> SharedBreakerStore.Command {
        switch target {
        case .isolated, .open: .isolate
        case .disabled: .disable
        case .closed, .halfOpen: .reset
        }
    }

    /// Applies what Redis answered; logs the transition when this instance's script made it, so that
    /// each transition is logged once in the fleet. A snapshot below the generation Redis showed before (none
    /// at all, or a lower one) may mean that Redis lost the breaker, or only that a published transition
    /// overtook the answer: it queues a synchronize, which tells the two apart (it re-seeds the breaker, adopts
    /// what Redis decided since, or finds the newer transition already applied).
    func apply(_ snapshot: SharedBreakerSnapshot, to entry: Entry) {
        guard let authority = entry.authority else { return }
        if snapshot.generation < authority.knownRedisGeneration {
            jobQueue.enqueue(.synchronize(entry.breaker.name))
            return
        }
        authority.opensSoFar = snapshot.consecutiveOpens
        let previous = entry.breaker.state
        authority.applyUpdate(generation: snapshot.generation) {
            entry.breaker.apply(snapshot.update(on: entry.breaker.clock))
        }
        authority.flushPolicy.answered(snapshot)
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
