import Foundation
import Resilience
import Synchronization

/// Watches one breaker of every W14 instance from a thread of its own (off the cooperative pool, which the
/// instances need), and notes when each first rejects calls: the moment it learnt of the trip.
final class FleetScaleTripWatcher: Sendable {
    private let breakers: [CircuitBreaker]
    private let seen: Mutex<[UInt64?]>

    init(breakers: [CircuitBreaker]) {
        self.breakers = breakers
        seen = Mutex(Array(repeating: nil, count: breakers.count))
    }

    /// Polls every ~20 µs until every breaker was seen open or `timeout` passed; returns each one's first
    /// open time (monotonic ns), `nil` for those never seen open.
    func watch(timeout: Duration) async -> [UInt64?] {
        let limit = FleetScaleInstance.nowNanos() + UInt64(timeout.components.seconds) * 1_000_000_000
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                while true {
                    let now = FleetScaleInstance.nowNanos()
                    let all = self.seen.withLock { seen -> Bool in
                        for (index, breaker) in self.breakers.enumerated() where seen[index] == nil {
                            if breaker.state.rejectsCalls { seen[index] = now }
                        }
                        return !seen.contains(nil)
                    }
                    if all || now > limit { break }
                    usleep(20)
                }
                continuation.resume(returning: self.seen.withLock { $0 })
            }
            thread.start()
        }
    }
}
