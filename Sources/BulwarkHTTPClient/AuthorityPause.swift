import Logging
import RedisClient
import Resilience
import Synchronization

/// The pause of one authority after a `Retry-After` or a 429: kept locally (one atomic load per request) and,
/// when a ``FleetPauseConfiguration`` is set, shared through Redis so that every instance waits.
///
/// Redis is never on a request's path: pauses are written and read by at most one background task each per
/// authority, so a slow or absent Redis only delays what the fleet learns.
final class AuthorityPause: Sendable {
    /// Paused until this instant of `clock`, in nanoseconds.
    private let until = Atomic<Int64>(.min)
    private let nextRefresh = Atomic<Int64>(.min)
    private let refreshing = Atomic<Bool>(false)
    /// The longest pause, in ms, still to be written to Redis.
    private let pendingMillis = Atomic<Int64>(0)
    private let publishing = Atomic<Bool>(false)
    private let authority: HTTPAuthority
    private let key: String
    private let fleet: Fleet?
    private let clock = SystemClock()
    private let onEvent: (@Sendable (ResilientHTTPClientEvent) -> Void)?

    /// Where the fleet's pauses live.
    struct Fleet: Sendable {
        let client: RedisClient
        let refreshInterval: Duration
        /// The longest pause adopted from Redis (the retry's `maxRetryAfter`): a stray or hostile key cannot pause
        /// an authority for longer, nor overflow the arithmetic.
        let longestPause: Duration
        let logger: Logger
    }

    /// A pause from Redis is adopted only when it ends this much later than the local one: the writer's own
    /// pause comes back from Redis a round trip later, and must not delay its own retry.
    private static let adoptionSlack: Int64 = 50_000_000

    /// A pause with less than this left lets requests go: the retry that waited out its own 429's `Retry-After`
    /// sleeps on another clock than this one and may wake a hair early, and must not be refused by its own pause.
    private static let tolerance: Int64 = 10_000_000

    init(authority: HTTPAuthority, keyPrefix: String, fleet: Fleet?, onEvent: (@Sendable (ResilientHTTPClientEvent) -> Void)?) {
        self.authority = authority
        // The authority's name is a valid breaker name: no braces, colons or spaces reach the key.
        key = "\(keyPrefix):http:pause:\(authority.name)"
        self.fleet = fleet
        self.onEvent = onEvent
    }

    /// The rest of the pause, or `nil` when requests may go; starts a background read of Redis when one is due.
    func remaining() -> Duration? {
        let now = clock.now.nanoseconds
        if let fleet, now >= nextRefresh.load(ordering: .relaxed) { refresh(now: now, fleet: fleet) }
        let end = until.load(ordering: .relaxed)
        return now &+ Self.tolerance < end ? .nanoseconds(end - now) : nil
    }

    /// Pauses the authority for `duration` from now, here and (in the background) for the fleet.
    func pause(for duration: Duration) {
        guard duration > .zero else { return }
        let nanos = Self.nanoseconds(duration)
        raise(to: clock.now.nanoseconds &+ nanos)
        onEvent?(.paused(authority: authority, duration: duration))
        guard let fleet else { return }
        let millis = max(1, nanos / 1_000_000)
        var pending = pendingMillis.load(ordering: .relaxed)
        while pending < millis {
            let (exchanged, current) = pendingMillis.compareExchange(expected: pending, desired: millis, ordering: .relaxed)
            if exchanged { break }
            pending = current
        }
        if publishing.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            Task { await self.publish(fleet) }
        }
    }

    private func raise(to end: Int64) {
        var current = until.load(ordering: .relaxed)
        while current < end {
            let (exchanged, seen) = until.compareExchange(expected: current, desired: end, ordering: .relaxed)
            if exchanged { return }
            current = seen
        }
    }

    /// Writes pending pauses until none is left: `SET NX PX` creates the key, `PEXPIRE GT` lengthens a shorter one.
    private func publish(_ fleet: Fleet) async {
        while true {
            let millis = pendingMillis.exchange(0, ordering: .relaxed)
            if millis == 0 {
                publishing.store(false, ordering: .releasing)
                // A pause noted after the exchange and before the store would otherwise wait for the next one.
                guard pendingMillis.load(ordering: .relaxed) > 0,
                    publishing.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
                else { return }
                continue
            }
            do throws(RedisClientError) {
                _ = try await fleet.client.pipeline([
                    RedisCommand("SET", key, "1", "PX", Int(millis), "NX"),
                    RedisCommand("PEXPIRE", key, Int(millis), "GT"),
                ])
                onEvent?(.pauseShared(authority: authority, duration: .milliseconds(millis)))
            } catch {
                fleet.logger.debug(
                    "the fleet-wide pause could not be stored; this instance pauses alone",
                    metadata: ["http.authority": "\(authority.name)", "error": "\(error.code)"]
                )
            }
        }
    }

    private func refresh(now: Int64, fleet: Fleet) {
        guard refreshing.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return }
        nextRefresh.store(now &+ Self.nanoseconds(fleet.refreshInterval), ordering: .relaxed)
        Task {
            defer { refreshing.store(false, ordering: .releasing) }
            do throws(RedisClientError) {
                let stored = try await fleet.client.send("PTTL", key).int ?? -2
                guard stored > 0 else { return }
                let millis = min(stored, Int(min(fleet.longestPause / .milliseconds(1), 86_400_000)))
                let end = clock.now.nanoseconds &+ Int64(millis) * 1_000_000
                guard end > until.load(ordering: .relaxed) &+ Self.adoptionSlack else { return }
                raise(to: end)
                onEvent?(.pauseAdopted(authority: authority, remaining: .milliseconds(millis)))
            } catch {
                fleet.logger.debug(
                    "the fleet-wide pause could not be read; this instance goes on what it saw itself",
                    metadata: ["http.authority": "\(authority.name)", "error": "\(error.code)"]
                )
            }
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds < 1_000_000_000 else { return 1_000_000_000 * 1_000_000_000 }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
