import Foundation
import Logging
import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Synchronization

/// W7: 16 callers call through a shared breaker and read a shared cache (every 8th call a get-or-set of one
/// of 100 keys) for 20 s; the bench kills Redis at 5 s and starts it again at 12 s. Reports calls that failed
/// because of the state store (`store_failed_calls`, must be 0), how soon the local fallback took over
/// (`fallback_ms`), how soon shared state was in use again (`shared_again_ms`, from the restart request), and the
/// slowest calls: `worst_call_ms` during the switch (in progress at some time in the second after the kill), with
/// `worst_call_before_ms`, the same for the second before the kill (Redis healthy: this machine's own stalls, the
/// same run's reference); `worst_call_outage_ms` while Redis was away (kill to restart request); and
/// `worst_call_overall_ms` over the whole run, with `worst_call_overall_at_ms` (when it began) and
/// `worst_call_overall_kind` (`breaker` or `cache`). The slowest calls are kept per 10 ms of the run, so a window
/// is measured to within 10 ms at either edge. Callers yield every 16 calls: with 16 callers on a 2-core machine,
/// a call that suspended otherwise waited for up to 15 other callers' bursts and was timed with them.
///
/// Redis is killed with `SIGKILL`, which ends it at once, as a crash or a lost host would: `fallback_ms` counts
/// from that signal, so it measures the detection and the switch, not Redis's own shutdown (`SIGTERM` waits
/// for Redis's next cron tick, up to 100 ms). `redis_stop_ms` is how long until the bench saw the process
/// reaped (it polls, so this is an upper bound of the exit).
///
/// Needs the Redis server the bench starts itself; with `--redis` it is skipped.
struct FailoverWorkload: BenchWorkload {
    let id = "W7"
    let name = "failover"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        guard context.redisURL != nil, let server = context.server else {
            context.progress("W7 skipped: it stops and starts Redis, so it needs the server the bench starts (no --redis)")
            return
        }
        let scale: Duration = context.quick ? .milliseconds(300) : .seconds(1)
        let (total, stopAt, startAt) = (scale * 20, scale * 5, scale * 12)
        let logger = context.quietLogger(.error)
        let client = try context.makeClient(logger: logger) { configuration in
            configuration.commandTimeout = .milliseconds(250)
            configuration.maximumReconnectDelay = .milliseconds(250)
        }
        defer { client.shutdown() }
        let registry = try SharedBreakerRegistry(client: client, options: .init(flushInterval: .milliseconds(50)), logger: logger)
        let breaker = try registry.breaker(named: "failover", configuration: .init(failureThreshold: .consecutiveFailures(5)))
        let cache = try SharedCache(client: client, codec: RawCacheCodec(), logger: logger)
        let service = Task { try await registry.run() }
        let cacheListener = Task { try await cache.run() }
        defer {
            service.cancel()
            cacheListener.cancel()
        }
        try await Task.sleep(for: .milliseconds(300))

        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + total
        let tally = FailoverTally()
        let callers = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        var (calls, failed, worst) = (0, 0, SlowCall())
                        var slowest = SlowestCalls(buckets: SlowestCalls.bucketCount(for: total))
                        while clock.now < deadline {
                            let began = clock.now
                            let isCache = calls % 8 == 0
                            do {
                                if isCache {
                                    _ = try await cache.getOrSet("w7:\(calls % 100)") { "value" }
                                } else {
                                    _ = try await breaker.execute { CallMeasurement.operation(calls) }
                                }
                            } catch {
                                failed += 1
                            }
                            let took = clock.now - began
                            let call = SlowCall(took: took, at: began - start, isCache: isCache)
                            if took > worst.took { worst = call }
                            slowest.record(call)
                            calls += 1
                            // Often enough that a call which suspended is not timed waiting for other callers'
                            // bursts on the two pool threads: the bench's own scheduling, not the store's.
                            if calls % SlowestCalls.callsPerYield == 0 { await Task.yield() }
                        }
                        tally.calls.withLock { total in
                            total = (total.calls + calls, total.failed + failed, total.worst.took >= worst.took ? total.worst : worst)
                        }
                        tally.slowest.withLock { $0.merge(slowest) }
                    }
                }
            }
        }
        Self.watchStatus(of: registry, from: start, until: deadline, into: tally)
        try await Task.sleep(until: start + stopAt)
        context.progress("W7 killing Redis")
        let stoppedAt = clock.now - start
        try await server.kill()
        let exitedAt = clock.now - start
        try await Task.sleep(until: start + startAt)
        context.progress("W7 starting Redis again")
        let restartedAt = clock.now - start
        try await server.restart()
        await callers.value

        let changes = tally.statusChanges.withLock { $0 }
        let fallbackAt = changes.first { $0.degraded && $0.at >= stoppedAt }?.at
        let sharedAgainAt = changes.first { !$0.degraded && $0.at >= restartedAt }?.at
        let result = tally.calls.withLock { $0 }
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        var line = BenchLine(id: id, workload: name)
        line["n"] = .int(result.calls)
        line["ops_per_s"] = .int(Int(Double(result.calls) / seconds))
        line["store_failed_calls"] = .int(result.failed)
        line["fallback_ms"] = .double(fallbackAt.map { Self.milliseconds($0 - stoppedAt) } ?? .nan)
        line["redis_stop_ms"] = .double(Self.milliseconds(exitedAt - stoppedAt))
        line["shared_again_ms"] = .double(sharedAgainAt.map { Self.milliseconds($0 - restartedAt) } ?? .nan)
        let slowest = tally.slowest.withLock { $0 }
        /// The slowest call in progress at some time in `window`.
        func worst(in window: Range<Duration>) -> Double { Self.milliseconds(slowest.worst(in: window)) }
        line["worst_call_ms"] = .double(worst(in: stoppedAt..<(stoppedAt + Self.switchWindow)))
        line["worst_call_before_ms"] = .double(worst(in: (stoppedAt - Self.switchWindow)..<stoppedAt))
        line["worst_call_outage_ms"] = .double(worst(in: stoppedAt..<restartedAt))
        line["worst_call_overall_ms"] = .double(Self.milliseconds(result.worst.took))
        line["worst_call_overall_at_ms"] = .double(Self.milliseconds(result.worst.at))
        line["worst_call_overall_kind"] = .string(result.worst.isCache ? "cache" : "breaker")
        line["command_timeout_ms"] = .int(250)
        line["p50_us"] = .double(.nan)
        line["p99_us"] = .double(.nan)
        context.emit(line)
    }

    /// Records when the registry enters and leaves the fallback, looking every 200 µs from a thread of its own:
    /// a task would wait for its turn on the cooperative pool behind the 16 busy callers, and see the switch late.
    private static func watchStatus(
        of registry: SharedBreakerRegistry,
        from start: ContinuousClock.Instant,
        until deadline: ContinuousClock.Instant,
        into tally: FailoverTally
    ) {
        let thread = Thread {
            var degraded = false
            while ContinuousClock.now < deadline {
                if registry.status.isDegraded != degraded {
                    degraded.toggle()
                    let at = ContinuousClock.now - start
                    tally.statusChanges.withLock { $0.append((at, degraded)) }
                }
                usleep(200)
            }
        }
        thread.name = "w7-status"
        thread.start()
    }

    /// How long after the kill calls count as made during the switch to the fallback (and how long before it,
    /// the same run's reference with Redis healthy).
    private static let switchWindow: Duration = .seconds(1)

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }
}

/// A W7 call: how long it took, when it began (from the run's start), and what it was.
private struct SlowCall: Sendable {
    var took = Duration.zero
    var at = Duration.zero
    var isCache = false
}

/// The slowest call in progress during each 10 ms of the run: bounded whatever the number of calls, and
/// enough to answer "the slowest call in progress at some time in this window" to within one bucket.
private struct SlowestCalls: Sendable {
    static let bucket: Duration = .milliseconds(10)
    /// How many calls a caller makes between two yields to the pool.
    static let callsPerYield = 16
    private var slowest: [Duration]

    init(buckets: Int) { slowest = Array(repeating: .zero, count: buckets) }

    /// Buckets for a run of `total` (and a little beyond it, for the last calls).
    static func bucketCount(for total: Duration) -> Int { Int(total / bucket) + 2 }

    private func index(_ instant: Duration) -> Int { min(slowest.count - 1, max(0, Int(instant / Self.bucket))) }

    /// Counts `call` in every bucket it was in progress during.
    mutating func record(_ call: SlowCall) {
        for bucket in index(call.at)...index(call.at + call.took) where slowest[bucket] < call.took {
            slowest[bucket] = call.took
        }
    }

    /// Keeps, per bucket, the slower of the two.
    mutating func merge(_ other: SlowestCalls) {
        if slowest.count < other.slowest.count { slowest += Array(repeating: .zero, count: other.slowest.count - slowest.count) }
        for bucket in other.slowest.indices { slowest[bucket] = max(slowest[bucket], other.slowest[bucket]) }
    }

    /// The slowest call in progress in a bucket that overlaps `window`.
    func worst(in window: Range<Duration>) -> Duration {
        guard !slowest.isEmpty else { return .zero }
        return (index(window.lowerBound)...index(window.upperBound - .nanoseconds(1))).map { slowest[$0] }.max() ?? .zero
    }
}

/// What W7's callers and monitor record, shared between their tasks.
private final class FailoverTally: Sendable {
    let calls = Mutex((calls: 0, failed: 0, worst: SlowCall()))
    let slowest = Mutex(SlowestCalls(buckets: 0))
    let statusChanges = Mutex<[(at: Duration, degraded: Bool)]>([])
}
