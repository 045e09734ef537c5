import Logging
import Metrics
import RedisClient
import Resilience
import Synchronization

extension SharedBreakerRegistry {
    /// Switches every breaker to local decisions; logs once per outage.
    func enterFallback(reason: String) {
        fallbackReason.withLock { $0 = reason }
        guard fallback.set(true) else { return }
        fallbackGauge.record(1)
        logger.warning("Redis unreachable: breakers decide locally until it is back", metadata: ["redis.error": "\(reason)"])
        for entry in entries.withLock({ Array($0.values) }) {
            entry.breaker.authorityDidBecomeUnavailable()
        }
        releaseWaitingFailures()
    }

    /// Probes Redis through the guard; when it answers, merges every breaker's views and leaves the fallback.
    func probeRecovery() async {
        guard fallback.isOn else { return }
        guard await guarded({ store in try await store.client.send("PING") }) != nil else { return }
        guard fallback.set(false) else { return }
        fallbackGauge.record(0)
        logger.info("Redis is back: breakers are shared again")
        for name in entries.withLock({ Array($0.keys) }) {
            // Synchronizing merges (the more conservative state wins) and re-delegates; the flush then
            // brings the counts kept during the outage.
            await perform(.synchronize(name))
            if let entry = entry(name) { await flush(name, entry) }
        }
    }
}
