import Logging
import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Synchronization

/// W7: 16 callers call through a shared breaker and read a shared cache (every 8th call a get-or-set of one
/// of 100 keys) for 20 s; the bench stops Redis at 5 s and starts it again at 12 s. Reports calls that failed
/// because of the state store (must be 0), how soon the local fallback took over (`fallback_ms`, from the stop
/// request; `redis_stop_ms` is how long Redis itself took to exit, part of it), the slowest call, and how
/// soon shared state was in use again.
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
                        var (calls, failed, worst) = (0, 0, Duration.zero)
                        while clock.now < deadline {
                            let began = clock.now
                            do {
                                if calls % 8 == 0 {
                                    _ = try await cache.getOrSet("w7:\(calls % 100)") { "value" }
                                } else {
                                    _ = try await breaker.execute { CallMeasurement.operation(calls) }
                                }
                            } catch {
                                failed += 1
                            }
                            worst = max(worst, clock.now - began)
                            calls += 1
                            if calls % 1_024 == 0 { await Task.yield() }
                        }
                        tally.calls.withLock { $0 = ($0.calls + calls, $0.failed + failed, max($0.worst, worst)) }
                    }
                }
                group.addTask {
                    var degraded = false
                    while clock.now < deadline {
                        if registry.status.isDegraded != degraded {
                            degraded.toggle()
                            let at = clock.now - start
                            tally.statusChanges.withLock { $0.append((at, degraded)) }
                        }
                        try? await Task.sleep(for: .milliseconds(1))
                    }
                }
            }
        }
        try await Task.sleep(until: start + stopAt)
        context.progress("W7 stopping Redis")
        let stoppedAt = clock.now - start
        try await server.stop()
        // Redis acts on SIGTERM in its next cron tick (up to 100 ms at the default hz 10): how long the stop
        // took is its own share of fallback_ms.
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
        line["worst_call_ms"] = .double(Self.milliseconds(result.worst))
        line["command_timeout_ms"] = .int(250)
        line["p50_us"] = .double(.nan)
        line["p99_us"] = .double(.nan)
        context.emit(line)
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }
}

/// What W7's callers and monitor record, shared between their tasks.
private final class FailoverTally: Sendable {
    let calls = Mutex((calls: 0, failed: 0, worst: Duration.zero))
    let statusChanges = Mutex<[(at: Duration, degraded: Bool)]>([])
}
