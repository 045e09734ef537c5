import AsyncHTTPClient
import Bulwark
import BulwarkHTTPClient
import Logging
import NIOCore
import Resilience
import ServiceLifecycle

/// W11 `http-client`: the resilient client (standard profile, every call succeeding) against a local upstream,
/// 16 callers, beside bare AsyncHTTPClient on the same `HTTPClient` in the same run.
///
/// Runs alternate, bare then resilient, `repeats` times, so that the machine's drift cancels out in each pair.
/// The line reports the resilient runs' median (`ops_per_s`, `p50_us`, `p99_us`, every call timed), the bare
/// runs' median as `reference`, and over the pairs the median, lowest and highest `overhead_pct`
/// (throughput lost, in %), `added_p99_us` and `added_cpu_us_per_call` (CPU of the whole process per call,
/// steadier than wall time on a shared machine).
struct HTTPClientWorkload: BenchWorkload {
    let id = "W11"
    let name = "http-client"
    let needsRedis = true

    private struct Run {
        var elapsedNanos: UInt64
        var samples: LatencySamples
        var opsPerSecond: Double
        /// CPU time of the whole process (client, upstream, Bulwark) per call: less swayed than wall time by
        /// other processes on the machine.
        var cpuMicrosecondsPerCall: Double
        var p99: Double { samples.percentileMicroseconds(0.99) }
    }

    func run(in context: BenchContext) async throws {
        guard let redisURL = context.redisURL else { return }
        // Many short pairs rather than a few long ones: on a shared machine, a pair's two runs then see the same load.
        let calls = context.scaled(8_000, quick: 2_000)
        let repeats = context.scaled(21, quick: 3)
        let callers = 16
        let upstream = try await HTTPClientUpstream.start()
        var configuration = BulwarkConfiguration(redisURL: redisURL)
        configuration.keyPrefix = "bench-w11"
        let bulwark = try Bulwark(configuration: configuration, logger: context.quietLogger())
        let group = ServiceGroup(services: [bulwark], logger: context.quietLogger())
        let running = Task { try await group.run() }
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = callers
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        do {
            let client = try ResilientHTTPClient(bulwark: bulwark, httpClient: http, logger: context.quietLogger())
            let url = "http://127.0.0.1:\(upstream.port ?? 0)/item"
            let bare: @Sendable () async throws -> Void = {
                let response = try await http.execute(HTTPClientRequest(url: url), deadline: .now() + .seconds(10))
                _ = try await response.body.collect(upTo: 1 << 20)
            }
            let resilient: @Sendable () async throws -> Void = { _ = try await client.get(url) }
            context.progress("W11: warming up both clients")
            _ = try await Self.measure(calls: calls / 4, callers: callers, call: bare)
            _ = try await Self.measure(calls: calls / 4, callers: callers, call: resilient)
            var bareRuns: [Run] = []
            var resilientRuns: [Run] = []
            for index in 0..<repeats {
                context.progress("W11: pair \(index + 1) of \(repeats), \(calls) calls each, \(callers) callers")
                bareRuns.append(try await Self.measure(calls: calls, callers: callers, call: bare))
                resilientRuns.append(try await Self.measure(calls: calls, callers: callers, call: resilient))
            }
            emit(context, calls: calls, callers: callers, bare: bareRuns, resilient: resilientRuns)
        } catch {
            try? await http.shutdown()
            await group.triggerGracefulShutdown()
            await upstream.stop()
            throw error
        }
        try await http.shutdown()
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await upstream.stop()
    }

    private func emit(_ context: BenchContext, calls: Int, callers: Int, bare: [Run], resilient: [Run]) {
        func median(_ runs: [Run]) -> Run { runs.sorted { $0.elapsedNanos < $1.elapsedNanos }[runs.count / 2] }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let overheads = zip(bare, resilient).map { (1 - $1.opsPerSecond / $0.opsPerSecond) * 100 }
        let added = zip(bare, resilient).map { $1.p99 - $0.p99 }
        let addedCPU = zip(bare, resilient).map { $1.cpuMicrosecondsPerCall - $0.cpuMicrosecondsPerCall }
        let ours = median(resilient)
        let reference = median(bare)
        var line = BenchLine(id: id, workload: name)
        line["n"] = .int(calls)
        line["callers"] = .int(callers)
        line["runs"] = .int(resilient.count)
        line["ops_per_s"] = .double(ours.opsPerSecond)
        line.addPercentiles(ours.samples)
        line["cpu_us_per_call"] = .double(median(resilient.map(\.cpuMicrosecondsPerCall)))
        var object = BenchLine()
        object["tool"] = .string("async-http-client")
        object["ops_per_s"] = .double(reference.opsPerSecond)
        object.addPercentiles(reference.samples)
        object["cpu_us_per_call"] = .double(median(bare.map(\.cpuMicrosecondsPerCall)))
        line["reference"] = .object(object)
        line["ratio"] = .double(ours.opsPerSecond / reference.opsPerSecond)
        line["overhead_pct"] = .double(median(overheads))
        line["overhead_pct_min"] = .double(overheads.min() ?? .nan)
        line["overhead_pct_max"] = .double(overheads.max() ?? .nan)
        line["added_p99_us"] = .double(median(added))
        line["added_p99_us_min"] = .double(added.min() ?? .nan)
        line["added_p99_us_max"] = .double(added.max() ?? .nan)
        line["added_cpu_us_per_call"] = .double(median(addedCPU))
        line["added_cpu_us_per_call_min"] = .double(addedCPU.min() ?? .nan)
        line["added_cpu_us_per_call_max"] = .double(addedCPU.max() ?? .nan)
        context.emit(line)
    }

    /// `calls` calls of `call` from `callers` tasks, every call timed.
    private static func measure(calls: Int, callers: Int, call: @escaping @Sendable () async throws -> Void) async throws -> Run {
        let clock = SystemClock()
        let perCaller = calls / callers
        let cpuBefore = ClientCPUMeasurement.processCPUMicroseconds()
        let start = clock.now
        let samples = try await withThrowingTaskGroup(of: LatencySamples.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var samples = LatencySamples(reservingCapacity: perCaller)
                    for _ in 0..<perCaller {
                        let before = clock.now
                        try await call()
                        samples.record(before.duration(to: clock.now))
                    }
                    return samples
                }
            }
            var all = LatencySamples(reservingCapacity: calls)
            for try await samples in group { all.merge(samples) }
            return all
        }
        let elapsed = start.duration(to: clock.now)
        let cpu = ClientCPUMeasurement.processCPUMicroseconds() - cpuBefore
        let nanos = UInt64(max(0, elapsed.components.seconds)) * 1_000_000_000 + UInt64(max(0, elapsed.components.attoseconds) / 1_000_000_000)
        let done = Double(perCaller * callers)
        return Run(elapsedNanos: nanos, samples: samples, opsPerSecond: done / (Double(nanos) / 1e9), cpuMicrosecondsPerCall: cpu / done)
    }
}
