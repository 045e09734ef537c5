import BulwarkInstanceKit
import Foundation
import RedisClient
import RedisTestSupport
import SharedState

/// W8: three `bulwark-bench --instance-mode` processes × 16 callers ask one fleet-wide limit of 5,000/s
/// (burst 100) for 10 s, as fast as they can; then the same with Redis killed for the middle third (only when
/// the bench started Redis itself). Each mode runs several times; the line gives the median and the range.
///
/// - `admitted_error_pct`: admitted in total against limit × elapsed time (the burst, 100, is 0.2 % of it).
/// - `decisions_per_s`: decisions (admitted or refused) per second and process.
/// - `redis_cmds_per_1000_decisions`: the limiters' commands (`EVALSHA`/`EVAL` in `INFO commandstats`, one round
///   trip each) per 1,000 decisions of the fleet; beside it, per 1,000 admitted, and every command redis-server
///   counted (`redis_all_cmds_per_1000_decisions`: also the 4 commands each script runs inside, and the
///   instances' breaker heartbeats).
struct RateLimitWorkload: BenchWorkload {
    let id = "W8"
    let name = "rate-limit"
    let needsRedis = true

    private static let limit = 5_000
    private static let burst = 100
    private static let maximumBatch = 100
    private static let callers = 16

    /// One run's figures.
    private struct Run {
        var admittedErrorPercent: Double
        var decisionsPerSecond: Double
        var commandsPer1000Decisions: Double
        var commandsPer1000Admitted: Double
        var allCommandsPer1000Decisions: Double
        var fallbacks: Int
    }

    func run(in context: BenchContext) async throws {
        guard let url = context.redisURL else { return }
        let runs = context.scaled(3, quick: 1)
        let duration = Duration.seconds(context.scaled(10, quick: 3))
        let executable = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let modes = context.server == nil ? ["shared"] : ["shared", "redis-down"]
        for mode in modes {
            var results: [Run] = []
            for index in 0..<runs {
                context.progress("W8 \(mode) run \(index + 1)/\(runs)")
                results.append(
                    try await runOnce(url: url, executable: executable, duration: duration, killing: mode == "redis-down", context: context)
                )
            }
            emit(mode: mode, results, duration: duration, context: context)
        }
    }

    private func runOnce(url: String, executable: URL, duration: Duration, killing: Bool, context: BenchContext) async throws -> Run {
        let prefix = "w8-\(UInt32.random(in: 0...UInt32.max))"
        var processes: [InstanceProcess] = []
        for index in 0..<3 {
            processes.append(
                try await InstanceProcess.start(
                    executable: executable,
                    leadingArguments: [InstanceRunner.modeFlag],
                    redisURL: url,
                    instance: "w8-\(index)",
                    arguments: ["--breaker", "w8", "--prefix", prefix]
                )
            )
        }
        defer { for process in processes { process.terminate() } }
        let client = try RedisClient(url: url)
        defer { client.shutdown() }
        // Every heartbeat is in the directory first, so that each process divides by three from the start.
        for _ in 0..<250 {
            if try await InstanceDirectory(prefix: prefix).liveInstances(client: client).count >= 3 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = try await client.send("CONFIG", "RESETSTAT")
        let milliseconds = Int(duration.components.seconds) * 1_000
        let command = "rate-limit \(url) \(prefix) w8 fleet \(Self.limit) 1000 \(Self.burst) \(Self.maximumBatch) \(Self.callers) 0 \(milliseconds)"
        let outage = killing ? Task { try await killRedis(context, from: duration / 3, to: duration * 2 / 3) } : nil
        let answers = try await withThrowingTaskGroup(of: InstanceProcess.Answer.self) { group in
            for process in processes { group.addTask { try await process.send(command) } }
            return try await group.reduce(into: [InstanceProcess.Answer]()) { $0.append($1) }
        }
        let beforeOutage = try await outage?.value ?? Counts()
        // A fresh client: the first one's connection died with the Redis the outage killed.
        let counter = try RedisClient(url: url)
        defer { counter.shutdown() }
        let afterOutage = try await eventually { try await Self.commandCount(counter) }
        let scriptCalls = beforeOutage.scriptCalls + afterOutage.scriptCalls
        let commands = beforeOutage.commands + afterOutage.commands
        for process in processes { await process.stop() }
        let admitted = answers.reduce(0) { $0 + $1.count("admitted") }
        let decisions = answers.reduce(0) { $0 + $1.count("decisions") }
        let elapsedSeconds = Double(answers.map { $0.count("elapsed_us") }.max() ?? 0) / 1e6
        let expected = Double(Self.limit) * elapsedSeconds
        return Run(
            admittedErrorPercent: (Double(admitted) - expected) / expected * 100,
            decisionsPerSecond: Double(decisions) / elapsedSeconds / Double(processes.count),
            commandsPer1000Decisions: Double(scriptCalls) * 1_000 / Double(max(decisions, 1)),
            commandsPer1000Admitted: Double(scriptCalls) * 1_000 / Double(max(admitted, 1)),
            allCommandsPer1000Decisions: Double(commands) * 1_000 / Double(max(decisions, 1)),
            fallbacks: answers.reduce(0) { $0 + $1.count("fallbacks") }
        )
    }

    /// Commands redis-server processed: the limiters' script calls (`EVALSHA`, `EVAL`: one round trip each), and
    /// every command including those run inside scripts and the instances' own heartbeats.
    private struct Counts {
        var scriptCalls = 0
        var commands = 0
    }

    /// Kills the bench's Redis at `from` and starts it again at `to`; returns the commands it had processed.
    private func killRedis(_ context: BenchContext, from: Duration, to: Duration) async throws -> Counts {
        guard let server = context.server else { return Counts() }
        let start = ContinuousClock.now
        try await Task.sleep(until: start + from)
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        let commands = try await Self.commandCount(client)
        try await server.kill()
        try await Task.sleep(until: start + to)
        try await server.restart()
        return commands
    }

    /// Commands redis-server processed since its statistics were reset, less `INFO` and `CONFIG` (the bench's).
    private static func commandCount(_ client: RedisClient) async throws -> Counts {
        let text = try await client.send("INFO", "commandstats").string ?? ""
        var counts = Counts()
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
            guard !line.hasPrefix("cmdstat_info:"), !line.hasPrefix("cmdstat_config") else { continue }
            guard let calls = line.split(separator: ",").first?.split(separator: "=").last.flatMap({ Int($0) }) else { continue }
            counts.commands += calls
            if line.hasPrefix("cmdstat_evalsha:") || line.hasPrefix("cmdstat_eval:") { counts.scriptCalls += calls }
        }
        return counts
    }

    private func emit(mode: String, _ results: [Run], duration: Duration, context: BenchContext) {
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        var line = BenchLine(id: id, workload: name)
        line["mode"] = .string(mode)
        line["runs"] = .int(results.count)
        line["processes"] = .int(3)
        line["callers"] = .int(Self.callers)
        line["limit_per_s"] = .int(Self.limit)
        line["burst"] = .int(Self.burst)
        line["seconds"] = .int(Int(duration.components.seconds))
        for (field, values) in [
            ("admitted_error_pct", results.map(\.admittedErrorPercent)),
            ("decisions_per_s", results.map(\.decisionsPerSecond)),
            ("redis_cmds_per_1000_decisions", results.map(\.commandsPer1000Decisions)),
            ("redis_cmds_per_1000_admitted", results.map(\.commandsPer1000Admitted)),
            ("redis_all_cmds_per_1000_decisions", results.map(\.allCommandsPer1000Decisions)),
        ] {
            line[field] = .double(median(values))
            line[field + "_min"] = .double(values.min() ?? .nan)
            line[field + "_max"] = .double(values.max() ?? .nan)
        }
        line["fallbacks"] = .int(results.map(\.fallbacks).max() ?? 0)
        line["n"] = .int(results.count)
        line["ops_per_s"] = .double(median(results.map(\.decisionsPerSecond)) * 3)
        line["p50_us"] = .double(.nan)
        line["p99_us"] = .double(.nan)
        context.emit(line)
    }
}
