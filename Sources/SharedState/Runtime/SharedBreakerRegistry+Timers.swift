import Logging
import RedisClient
import Resilience
import Synchronization

extension SharedBreakerRegistry {
    /// Flushes outcome counts that are due (see ``SharedBreakerFlushPolicy``), renews the heartbeat and probes Redis while on the fallback.
    func runTimers() async {
        let clock = ContinuousClock()
        var nextHeartbeat = clock.now
        while !Task.isCancelled {
            if fallback.isOn {
                await probeRecovery()
            } else {
                for name in entries.withLock({ Array($0.keys) }) {
                    guard let entry = entry(name) else { continue }
                    if let authority = entry.authority {
                        // Through the worker, so that flushes stay in order with proposals.
                        if authority.flushPolicy.isDue(entry.breaker) { jobQueue.enqueue(.flush(name)) }
                    } else {
                        await flush(name, entry)
                    }
                }
                if clock.now >= nextHeartbeat {
                    await heartbeat()
                    nextHeartbeat = clock.now + options.heartbeatInterval
                }
            }
            let pause = fallback.isOn ? options.recoveryProbeInterval : options.flushInterval
            try? await Task.sleep(for: pause)
        }
    }

    /// Keeps this instance and its breakers listed: a sorted set of instances scored by their last heartbeat
    /// (so listing never scans the keyspace) and a hash of breaker names with their configuration.
    ///
    /// One write per instance, whatever its breakers: the breakers are named only when they changed, every
    /// ``BreakerAnnouncements/period(heartbeat:retention:)`` heartbeats (so that the index keeps them), and
    /// again at once when Redis had not listed the instance (its first heartbeat, or Redis lost its data).
    func heartbeat() async {
        let names = entries.withLock { entries in entries.map { ($0.key, SharedBreakerDescriptor(rules: $0.value.rules).json) } }
        let period = BreakerAnnouncements.period(heartbeat: options.heartbeatInterval, retention: options.breakerRetention)
        let naming = announcements.withLock { $0.shouldName(count: names.count, period: period) }
        // A write: its answer is how the registry knows that Redis serves shared state (again).
        guard let newlyListed = await announce(naming ? names : []) else { return }
        if naming {
            announcements.withLock { $0.named(count: names.count) }
        } else if newlyListed, await announce(names) != nil {
            announcements.withLock { $0.named(count: names.count) }
        }
    }

    private func announce(_ breakers: [(String, String)]) async -> Bool? {
        let instances = InstanceDirectory(prefix: options.keyPrefix)
        return await guarded(provesWritable: true) { store in
            try await instances.announce(
                client: store.client,
                instance: options.instanceID,
                breakers: breakers,
                timeToLive: options.instanceTimeToLive,
                breakerRetention: options.breakerRetention
            )
        }
    }

    /// Flushes what is left and removes this instance from the live list, as a graceful stop should.
    func finalFlush() async {
        guard !fallback.isOn else { return }
        for name in entries.withLock({ Array($0.keys) }) {
            if let entry = entry(name) { await flush(name, entry) }
        }
        let instances = InstanceDirectory(prefix: options.keyPrefix)
        _ = await guarded { store in try await instances.withdraw(client: store.client, instance: options.instanceID) }
    }
}
