import Dispatch
import Logging
import RedisClient
import Resilience
import SharedState
import Synchronization

/// One virtual instance of W14: its own client, registry (own instance id and pub/sub connection) and
/// breakers, each called at a fixed rate by one driver task.
final class FleetScaleInstance: Sendable {
    /// The dependency of the breaker under test is down: every call through breaker 0 fails.
    struct DependencyDown: Error {}

    let index: Int
    let client: RedisClient
    let registry: SharedBreakerRegistry
    let breakers: [CircuitBreaker]
    /// While set, breaker 0's dependency is down.
    let outage: Atomic<Bool> = Atomic(false)
    /// Calls made so far, all breakers together.
    let calls = Atomic<Int>(0)
    /// Start times (monotonic ns) of the calls breaker 0 let through during the outage; bounded.
    let outageCalls = Mutex<[UInt64]>([])
    private static let maxOutageCalls = 1_000_000

    init(index: Int, client: RedisClient, registry: SharedBreakerRegistry, breakers: [CircuitBreaker]) {
        self.index = index
        self.client = client
        self.registry = registry
        self.breakers = breakers
    }

    /// Now on the monotonic clock, in nanoseconds.
    static func nowNanos() -> UInt64 {
        DispatchTime.now().uptimeNanoseconds
    }

    /// Calls every breaker `rate` times a second until cancelled; one call in `failureEvery` fails (spread so
    /// that the breakers' failures do not coincide), and every call of breaker 0 fails during the outage.
    func drive(rate: Double, failureEvery: Int?) async {
        let callsPerTick = max(1, Int((rate / 100).rounded()))
        let tick = Duration.nanoseconds(Int64(Double(callsPerTick) / rate * 1e9))
        let clock = ContinuousClock()
        var deadline = clock.now
        var round = 0
        while !Task.isCancelled {
            for _ in 0..<callsPerTick {
                for (position, breaker) in breakers.enumerated() {
                    let down = position == 0 && outage.load(ordering: .relaxed)
                    let scheduledFailure = failureEvery.map { (round + position * 7 + index * 13) % $0 == 0 } ?? false
                    if down {
                        Task { _ = try? await breaker.execute { try self.failDuringOutage() } }
                    } else if scheduledFailure {
                        Task { _ = try? await breaker.execute { () throws(DependencyDown) in throw DependencyDown() } }
                    } else {
                        _ = try? await breaker.execute { () }
                    }
                }
                round &+= 1
            }
            calls.add(callsPerTick * breakers.count, ordering: .relaxed)
            deadline = deadline.advanced(by: tick)
            if deadline < clock.now { deadline = clock.now }
            try? await Task.sleep(until: deadline, clock: clock)
        }
    }

    private func failDuringOutage() throws(DependencyDown) {
        let now = Self.nowNanos()
        outageCalls.withLock { calls in
            if calls.count < Self.maxOutageCalls { calls.append(now) }
        }
        throw DependencyDown()
    }
}
