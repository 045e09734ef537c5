import Logging
import RedisClient
import Resilience
import Synchronization

extension SharedBreakerRegistry {
    /// Applies transitions published by any instance, and re-reads every breaker after a gap (adopting Redis's
    /// state unless the breaker decided on its own meanwhile).
    func listenForTransitions() async {
        guard let subscription = try? store.client.subscriptions.subscribe(channels: [store.eventsChannel]) else { return }
        defer { subscription.cancel() }
        do {
            try await subscription.activate()
            // Transitions published before the subscription took effect were missed: read them now.
            for name in entries.withLock({ Array($0.keys) }) { jobQueue.enqueue(.synchronize(name)) }
        } catch {
            // Remembered by the hub: it subscribes when Redis is reachable and says `.resubscribed`.
            logger.debug("transition channel not subscribed yet", metadata: ["redis.error": "\(error)"])
        }
        for await event in subscription.events {
            switch event {
            case .message(_, let payload):
                applyPublished(String(decoding: payload, as: UTF8.self))
            case .resubscribed:
                // Transitions published during the gap were missed: read them.
                for name in entries.withLock({ Array($0.keys) }) { jobQueue.enqueue(.synchronize(name)) }
            case .disconnected:
                await checkReachability()
            case .patternMessage:
                break
            }
        }
    }

    /// Applies `name generation state remaining_ms [reason]`; stale or unknown ones are ignored.
    func applyPublished(_ message: String) {
        let parts = message.split(separator: " ")
        guard parts.count >= 4, let entry = entry(String(parts[0])), entry.authority != nil,
            let generation = UInt64(parts[1]), let state = SharedBreakerSnapshot.state(named: String(parts[2])),
            let remaining = Int64(parts[3])
        else { return }
        let now = entry.breaker.clock.now
        entry.authority?.applyUpdate(generation: generation) {
            entry.breaker.apply(
                CircuitBreakerStateUpdate(
                    state: state,
                    generation: generation,
                    openedAt: state.rejectsCalls ? now : nil,
                    openUntil: state == .open ? now.advanced(by: .milliseconds(remaining)) : nil
                )
            )
        }
    }
}
