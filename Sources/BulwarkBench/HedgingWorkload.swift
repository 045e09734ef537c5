import RedisClient
import Resilience
import SharedState

/// W12 `hedging`: an upstream whose calls take 1 ms, 2 % of them 100 ms (``HedgingUpstream``, simulated in
/// process with `Task.sleep`), 16 callers, with and without hedging in the same run.
///
/// Each repeat runs the calls bare (the reference), then through a ``HedgingPolicy`` with a fixed 5 ms delay,
/// then through one whose delay is the fleet-wide p95 of a ``FleetLatencySummary`` syncing with Redis every
/// second (warmed up before the first repeat). One line per hedged mode reports, over the repeats, the median,
/// lowest and highest `p99_without_ms`, `p99_with_ms`, `p99_cut` (without ÷ with), the same for p99.9, and
/// `extra_calls_pct` (upstream calls beyond one per call); both policies keep the default budget (10 %).
struct HedgingWorkload: BenchWorkload {
    let id = "W12"
    let name = "hedging"
    let needsRedis = true

    private struct Run {
        var samples: LatencySamples
        var upstreamCalls: Int
        var elapsed: Duration

        var p99: Double { samples.percentileMicroseconds(0.99) / 1_000 }
        var p999: Double { samples.percentileMicroseconds(0.999) / 1_000 }
        var extraCallsPercent: Double { Double(upstreamCalls - samples.count) / Double(samples.count) * 100 }
    }

    func run(in context: BenchContext) async throws {
        guard let redisURL = context.redisURL else { return }
        let calls = context.scaled(20_000, quick: 2_000)
        let repeats = context.scaled(5, quick: 2)
        let callers = 16
        let upstream = HedgingUpstream()
        let client = try RedisClient(url: redisURL)
        defer { client.shutdown() }
        let summary = try FleetLatencySummary(
            client: client,
            configuration: FleetLatencyConfiguration(keyPrefix: "bench-w12"),
            logger: context.quietLogger()
        )
        let syncing = Task { try await summary.run() }
        defer { syncing.cancel() }
        let fleetDelay = try summary.hedgingDelay(for: "upstream", whenUnknown: .milliseconds(5))
        let modes: [(name: String, hedging: HedgingPolicy)] = [
            ("fixed-5ms", try HedgingPolicy(name: "bench-fixed", configuration: HedgingConfiguration(delay: .fixed(.milliseconds(5))))),
            ("fleet-p95", try HedgingPolicy(name: "bench-fleet", configuration: HedgingConfiguration(delay: HedgingDelay(fleetDelay)))),
        ]
        context.progress("W12: warming up, and filling the fleet-wide p95")
        _ = try await Self.measure(calls: calls / 4, callers: callers, upstream: upstream) { try await upstream.call() }
        _ = try await Self.measure(calls: calls / 4, callers: callers, upstream: upstream) {
            try await modes[1].hedging.execute { _ in try await upstream.call() }
        }
        try await summary.sync()
        var bare: [Run] = []
        var hedged: [[Run]] = Array(repeating: [], count: modes.count)
        for index in 0..<repeats {
            context.progress("W12: repeat \(index + 1) of \(repeats), \(calls) calls per mode, \(callers) callers")
            bare.append(try await Self.measure(calls: calls, callers: callers, upstream: upstream) { try await upstream.call() })
            for (mode, (_, hedging)) in modes.enumerated() {
                hedged[mode].append(
                    try await Self.measure(calls: calls, callers: callers, upstream: upstream) {
                        try await hedging.execute { _ in try await upstream.call() }
                    }
                )
            }
        }
        for (mode, (modeName, _)) in modes.enumerated() {
            var line = emitLine(calls: calls, callers: callers, mode: modeName, bare: bare, hedged: hedged[mode])
            if modeName == "fleet-p95" { line["hedge_delay_ms"] = .double(Self.milliseconds(fleetDelay.hedgingDelay(beforeAttempt: 2))) }
            context.emit(line)
        }
    }

    private func emitLine(calls: Int, callers: Int, mode: String, bare: [Run], hedged: [Run]) -> BenchLine {
        let medianRun = hedged.sorted { $0.p99 < $1.p99 }[hedged.count / 2]
        let medianBare = bare.sorted { $0.p99 < $1.p99 }[bare.count / 2]
        var line = BenchLine(id: id, workload: name)
        line["mode"] = .string(mode)
        line["upstream"] = .string("in-process Task.sleep: 1 ms, 2 % 100 ms")
        line["n"] = .int(calls)
        line["callers"] = .int(callers)
        line["runs"] = .int(hedged.count)
        line["ops_per_s"] = .double(Double(calls) / Self.seconds(medianRun.elapsed))
        line.addPercentiles(medianRun.samples)
        var reference = BenchLine()
        reference["mode"] = .string("without")
        reference["ops_per_s"] = .double(Double(calls) / Self.seconds(medianBare.elapsed))
        reference.addPercentiles(medianBare.samples)
        line["reference"] = .object(reference)
        line["ratio"] = .double(medianRun.p99 / medianBare.p99)
        Self.add(&line, "p99_without_ms", bare.map(\.p99))
        Self.add(&line, "p99_with_ms", hedged.map(\.p99))
        Self.add(&line, "p99_cut", zip(bare, hedged).map { $0.p99 / $1.p99 })
        Self.add(&line, "p999_without_ms", bare.map(\.p999))
        Self.add(&line, "p999_with_ms", hedged.map(\.p999))
        Self.add(&line, "p999_cut", zip(bare, hedged).map { $0.p999 / $1.p999 })
        Self.add(&line, "extra_calls_pct", hedged.map(\.extraCallsPercent))
        return line
    }

    /// Adds the median of `values` as `key`, and their least and greatest as `key_min` and `key_max`.
    private static func add(_ line: inout BenchLine, _ key: String, _ values: [Double]) {
        line[key] = .double(values.sorted()[values.count / 2])
        line[key + "_min"] = .double(values.min() ?? .nan)
        line[key + "_max"] = .double(values.max() ?? .nan)
    }

    /// `calls` calls of `call` from `callers` tasks, every call timed, and the upstream calls they made.
    private static func measure(
        calls: Int,
        callers: Int,
        upstream: HedgingUpstream,
        call: @escaping @Sendable () async throws -> Int
    ) async throws -> Run {
        let clock = SystemClock()
        let perCaller = calls / callers
        let before = upstream.callCount
        let start = clock.now
        let samples = try await withThrowingTaskGroup(of: LatencySamples.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var samples = LatencySamples(reservingCapacity: perCaller)
                    for _ in 0..<perCaller {
                        let began = clock.now
                        _ = try await call()
                        samples.record(began.duration(to: clock.now))
                    }
                    return samples
                }
            }
            var all = LatencySamples(reservingCapacity: calls)
            for try await samples in group { all.merge(samples) }
            return all
        }
        return Run(samples: samples, upstreamCalls: upstream.callCount - before, elapsed: start.duration(to: clock.now))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func milliseconds(_ duration: Duration) -> Double { seconds(duration) * 1_000 }
}
