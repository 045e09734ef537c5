import Logging
import RedisClient
import Resilience
import SharedState

/// W1: 16 concurrent callers make 1,000,000 calls in total through one Redis-shared breaker that stays
/// closed, each paired with a bare run of the same size; reports calls per second, the breaker's overhead
/// per call, and the Redis commands the instance sent per 1,000 calls.
struct BreakerClosedWorkload: BenchWorkload {
    let id = "W1"
    let name = "breaker-closed"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        guard context.redisURL != nil else { return }
        let calls = context.scaled(1_000_000, quick: 100_000)
        let repeats = context.scaled(5, quick: 2)
        let callers = 16
        let logger = context.quietLogger()
        let client = try context.makeClient(logger: logger)
        defer { client.shutdown() }
        let registry = try SharedBreakerRegistry(client: client, logger: logger)
        let breaker = try registry.breaker(
            named: "bench",
            configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(5))
        )
        let service = Task { try await registry.run() }
        defer { service.cancel() }
        // Let the registry subscribe and synchronise before measuring.
        try await Task.sleep(for: .milliseconds(300))
        let guarded: @Sendable (Int) async throws -> Int = { value in try await breaker.execute { CallMeasurement.operation(value) } }
        _ = try await CallMeasurement.measure(calls: calls / 10, callers: callers, call: guarded)

        var runs: [CallMeasurement.Run] = []
        var bareRuns: [CallMeasurement.Run] = []
        var overheads: [Double] = []
        var commandsPerThousand: [Double] = []
        for round in 0..<repeats {
            context.progress("W1 round \(round + 1)/\(repeats): \(calls) calls, \(callers) callers, beside a bare run")
            let bare = try await CallMeasurement.measure(calls: calls, callers: callers, call: CallMeasurement.bare)
            let before = client.statistics.commands
            let run = try await CallMeasurement.measure(calls: calls, callers: callers, call: guarded)
            // Include the flush that carries this run's counts.
            try await Task.sleep(for: registry.options.flushInterval * 2)
            let commands = client.statistics.commands - before
            runs.append(run)
            bareRuns.append(bare)
            overheads.append((Double(run.elapsedNanos) - Double(bare.elapsedNanos)) / Double(calls))
            commandsPerThousand.append(Double(commands) * 1_000 / Double(calls))
        }
        let median = runs.sorted { $0.elapsedNanos < $1.elapsedNanos }[runs.count / 2]
        let bareMedian = bareRuns.sorted { $0.elapsedNanos < $1.elapsedNanos }[bareRuns.count / 2]
        var line = BenchLine(id: id, workload: name)
        line["n"] = .int(calls)
        line["callers"] = .int(callers)
        line["repeats"] = .int(repeats)
        line["ops_per_s"] = .int(Int(Double(calls) / (Double(median.elapsedNanos) / 1e9)))
        line.addPercentiles(median.samples)
        line["ns_per_call"] = .double(overheads.sorted()[overheads.count / 2])
        line["overhead_p50_us"] = .double(median.samples.percentileMicroseconds(0.5) - bareMedian.samples.percentileMicroseconds(0.5))
        line["overhead_p99_us"] = .double(median.samples.percentileMicroseconds(0.99) - bareMedian.samples.percentileMicroseconds(0.99))
        line["bare_ops_per_s"] = .int(Int(Double(calls) / (Double(bareMedian.elapsedNanos) / 1e9)))
        line["redis_cmds_per_1000_calls"] = .double(commandsPerThousand.sorted()[commandsPerThousand.count / 2])
        line["state"] = .string(breaker.state.description)
        let reference = try await context.referenceOpsPerSecond(
            tests: ["ping_mbulk"],
            pick: "ping_mbulk",
            clients: 16,
            requests: context.scaled(100_000, quick: 20_000),
            dataSize: 3
        )
        line.addReference(tool: "redis-benchmark -c 16 PING", opsPerSecond: reference, ours: Double(calls) / (Double(median.elapsedNanos) / 1e9))
        context.emit(line)
    }
}
