import Logging
import RedisClient
import Resilience
import ServiceLifecycle
import Synchronization

/// A small latency summary per dependency, shared by the fleet through Redis: the source of a fleet-wide
/// p95 hedging delay.
///
/// Each instance counts the latencies it observes in a fixed histogram of log-spaced buckets (at most 12.5 %
/// wide), locally and without I/O. Every ``FleetLatencyConfiguration/flushInterval`` (``run()``) it adds its new
/// counts to the dependency's hash in Redis and reads back the sum of the fleet's latest windows, in one script
/// per dependency, and computes the quantile from it. A dependency costs one round trip per second per
/// instance, whatever the traffic, and at most `windows + 1` keys that expire by themselves.
///
/// When Redis cannot be reached the summary uses the quantile of this instance's own latest windows, and keeps
/// the counts it could not flush for the next time; a fleet-wide quantile not refreshed for
/// ``FleetLatencyConfiguration/staleAfter`` is dropped the same way.
///
/// ```swift
/// let latencies = try FleetLatencySummary(client: client)
/// let hedging = try HedgingPolicy(configuration: HedgingConfiguration(
///     delay: HedgingDelay(try latencies.hedgingDelay(for: "payments", whenUnknown: .milliseconds(50)))
/// ))
/// // run `latencies` beside the service (ServiceGroup), or call `sync()` yourself
/// ```
public final class FleetLatencySummary: Service, Sendable {
    /// The client used.
    public let client: RedisClient
    /// The configuration.
    public let configuration: FleetLatencyConfiguration

    private static let nameRule = NameRule("dependency name", maximumBytes: 64, punctuation: "._-")
    private let clock: any ResilienceClock
    private let logger: Logger
    private let tracks = Mutex<[String: LatencyTrack]>([:])

    /// Creates a summary over a client.
    /// - Parameters:
    ///   - client: The Redis client.
    ///   - configuration: The quantile, windows, intervals and bounds.
    ///   - clock: The clock of the local windows; the system clock by default.
    ///   - logger: Where sync failures are logged.
    /// - Throws: ``SharedStateError/Code/invalidConfiguration`` naming the field out of range.
    public init(
        client: RedisClient,
        configuration: FleetLatencyConfiguration = .init(),
        clock: any ResilienceClock = SystemClock(),
        logger: Logger = Logger(label: "bulwark.latency")
    ) throws(SharedStateError) {
        try configuration.validate()
        self.client = client
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// A hedging delay equal to the dependency's quantile, which learns from the latencies the policy observes.
    /// - Parameters:
    ///   - dependency: The dependency's name: letters, digits, `.`, `_` and `-`, at most 64 bytes.
    ///   - whenUnknown: The delay while fewer than ``FleetLatencyConfiguration/minimumSamples`` are known.
    /// - Returns: The delay, to wrap in a `HedgingDelay`.
    /// - Throws: ``SharedStateError/Code/invalidName`` for a malformed name, ``SharedStateError/Code/limitReached``
    ///   beyond ``FleetLatencyConfiguration/maxDependencies`` dependencies.
    public func hedgingDelay(for dependency: String, whenUnknown: Duration) throws(SharedStateError) -> FleetHedgingDelay {
        FleetHedgingDelay(whenUnknown: whenUnknown, track: try track(dependency), clock: clock)
    }

    /// Counts a latency of a dependency, as a ``FleetHedgingDelay`` does for its policy.
    /// - Parameters:
    ///   - latency: The latency.
    ///   - dependency: The dependency's name.
    /// - Throws: As ``hedgingDelay(for:whenUnknown:)``.
    public func record(_ latency: Duration, for dependency: String) throws(SharedStateError) {
        try track(dependency).record(latency, at: clock.now)
    }

    /// The quantile of a dependency in use now: the fleet's while fresh, else this instance's.
    /// - Parameter dependency: The dependency's name.
    /// - Returns: The estimate, or `nil` for an unknown dependency or too few samples.
    public func estimate(for dependency: String) -> FleetLatencyEstimate? {
        tracks.withLock { $0[dependency] }?.estimate(at: clock.now)
    }

    /// Flushes every dependency's new counts to Redis and reads the fleet's back, one script per dependency.
    ///
    /// When Redis cannot be reached, the counts are kept for the next sync and the dependencies fall back to
    /// this instance's own quantile until a sync succeeds again.
    /// - Throws: ``SharedStateError/Code/storeUnavailable`` when Redis could not be reached,
    ///   ``SharedStateError/Code/unexpectedReply`` when it answered in an unexpected shape.
    public func sync() async throws(SharedStateError) {
        let tracks = self.tracks.withLock { Array($0.values) }
        var failure: SharedStateError?
        for track in tracks {
            let now = clock.now
            guard failure == nil else {
                track.update(fleet: nil, at: now)
                continue
            }
            let pending = track.takePending()
            do {
                track.update(fleet: try await flushAndRead(track.dependency, pending), at: now)
            } catch {
                track.restorePending(pending)
                track.update(fleet: nil, at: now)
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Syncs every ``FleetLatencyConfiguration/flushInterval`` until cancelled or told to shut down gracefully.
    ///
    /// A sync that fails is tried again at the next interval; the first failure of an outage is logged as a
    /// warning, the following ones at debug, and the recovery once.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                do {
                    try await self.sync()
                    if failing { self.logger.info("latency summary syncs again") }
                    failing = false
                } catch {
                    self.logger.log(
                        level: failing ? .debug : .warning,
                        "latency summary sync failed; using local latencies",
                        metadata: ["latency.error": "\(error)"]
                    )
                    failing = true
                }
                try? await self.clock.sleep(for: self.configuration.flushInterval)
            }
        }
    }

    private func track(_ dependency: String) throws(SharedStateError) -> LatencyTrack {
        if let known = tracks.withLock({ $0[dependency] }) { return known }
        try Self.nameRule.validate(dependency)
        let track = tracks.withLock { tracks -> LatencyTrack? in
            if let known = tracks[dependency] { return known }
            guard tracks.count < configuration.maxDependencies else { return nil }
            let track = LatencyTrack(dependency: dependency, configuration: configuration)
            tracks[dependency] = track
            return track
        }
        guard let track else {
            throw SharedStateError(.limitReached, "the latency summary tracks \(configuration.maxDependencies) dependencies already")
        }
        return track
    }

    private func flushAndRead(_ dependency: String, _ pending: LatencyHistogram) async throws(SharedStateError) -> LatencyHistogram {
        var arguments = [String(configuration.windowMilliseconds), String(configuration.windows)]
        for (bucket, count) in pending.occupied { arguments += [String(bucket), String(count)] }
        let reply: RedisValue
        do {
            reply = try await client.evaluate(
                FleetLatencyScripts.flushAndRead,
                keys: ["\(configuration.keyPrefix):latency:{\(dependency)}"],
                arguments: arguments
            )
        } catch {
            throw SharedStateError(.storeUnavailable, "the latency summary could not be reached in Redis: \(error.code)", underlying: error)
        }
        guard let elements = reply.array, elements.count % 2 == 0 else {
            throw SharedStateError(.unexpectedReply, "the latency summary of '\(dependency)' returned \(reply)")
        }
        var fleet = LatencyHistogram()
        for pair in stride(from: 0, to: elements.count, by: 2) {
            guard let bucket = elements[pair].int, (0..<LatencyHistogram.bucketCount).contains(bucket), let count = elements[pair + 1].int, count >= 0
            else {
                throw SharedStateError(.unexpectedReply, "the latency summary of '\(dependency)' returned \(reply)")
            }
            fleet.add(bucket, count: count)
        }
        return fleet
    }
}
