import RedisClient
import Resilience

/// A shared breaker's state as Redis holds it, with times in Redis's clock (milliseconds).
public struct SharedBreakerSnapshot: Sendable, Hashable {
    /// The state.
    public var state: CircuitBreakerState
    /// The generation: it grows by one with every transition.
    public var generation: UInt64
    /// Redis's time when the snapshot was taken.
    public var redisNowMilliseconds: Int64
    /// When the breaker opened (Redis time), for open and isolated; 0 otherwise.
    public var openedAtMilliseconds: Int64
    /// When the break ends (Redis time), for open; 0 otherwise.
    public var openUntilMilliseconds: Int64
    /// When half-open began (Redis time).
    public var halfOpenAtMilliseconds: Int64
    /// Whether the script that returned this snapshot made a transition.
    public var changed: Bool
    /// Opens in a row without a successful close, for growing breaks.
    public var consecutiveOpens: Int
    /// Whether a half-open probe permit was claimed by the read that returned this snapshot.
    public var claimedProbe: Bool
    /// From a flush of a closed breaker with a failure ratio: how many more failures the fleet's pooled window
    /// can take without reaching the threshold, counting only successes that stay in the window for the
    /// flush's horizon; 0 otherwise.
    var failureHeadroom: Int
    /// From a flush: how many instances reported the breaker lately (the headroom is shared among them).
    var reporters: Int

    /// The time left in the break, by Redis's clock.
    public var remainingBreak: Duration {
        .milliseconds(max(0, openUntilMilliseconds - redisNowMilliseconds))
    }

    /// The state as an update for a local breaker, with Redis times turned into instants of `clock`:
    /// `clock.now + (redisInstant - redisNow)`, so the instances' own clocks never matter.
    public func update(on clock: any ResilienceClock) -> CircuitBreakerStateUpdate {
        let now = clock.now
        func local(_ redisMilliseconds: Int64) -> ResilienceInstant? {
            guard redisMilliseconds > 0 else { return nil }
            return now.advanced(by: .milliseconds(redisMilliseconds - redisNowMilliseconds))
        }
        return CircuitBreakerStateUpdate(
            state: state,
            generation: generation,
            openedAt: local(openedAtMilliseconds),
            openUntil: state == .open ? local(openUntilMilliseconds) : nil
        )
    }

    init(reply: RedisValue) throws(SharedStateError) {
        guard let parts = reply.array, parts.count >= 8, let stateName = parts[0].string,
            let state = SharedBreakerSnapshot.state(named: stateName), let generation = parts[1].int,
            let now = parts[2].int, let openedAt = parts[3].int, let openUntil = parts[4].int,
            let halfOpenAt = parts[5].int, let changed = parts[6].int, let opens = parts[7].int
        else {
            throw SharedStateError(.unexpectedReply, "breaker script returned \(reply)")
        }
        self.state = state
        self.generation = UInt64(max(0, generation))
        self.redisNowMilliseconds = Int64(now)
        self.openedAtMilliseconds = Int64(openedAt)
        self.openUntilMilliseconds = Int64(openUntil)
        self.halfOpenAtMilliseconds = Int64(halfOpenAt)
        self.changed = changed == 1
        self.consecutiveOpens = opens
        self.claimedProbe = parts.count > 8 && parts[8].int == 1
        self.failureHeadroom = parts.count > 9 ? max(0, parts[9].int ?? 0) : 0
        self.reporters = parts.count > 10 ? max(1, parts[10].int ?? 1) : 1
    }

    /// The name of a state in Redis and on the events channel.
    static func name(of state: CircuitBreakerState) -> String {
        switch state {
        case .closed: "closed"
        case .open: "open"
        case .halfOpen: "half_open"
        case .isolated: "isolated"
        case .disabled: "disabled"
        }
    }

    /// The state of a name written by ``name(of:)``.
    static func state(named name: String) -> CircuitBreakerState? {
        CircuitBreakerState.allCases.first { Self.name(of: $0) == name }
    }
}
