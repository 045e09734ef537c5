import BulwarkInstanceKit
import Foundation
import Logging
import RedisClient
import SharedState

/// W5: 100,000 first executions with unique idempotency keys, then 100,000 replays of them, from 16
/// callers (beside `redis-benchmark` SET and GET at 16 clients); then a race of 2 processes × 16 workers over
/// the same 1,000 keys, which must execute every key exactly once.
struct IdempotencyWorkload: BenchWorkload {
    let id = "W5"
    let name = "idempotency"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        guard let url = context.redisURL else { return }
        let calls = context.scaled(100_000, quick: 10_000)
        let logger = context.quietLogger()
        let client = try context.makeClient(poolSize: 1, logger: logger)
        defer { client.shutdown() }
        let store = try IdempotencyStore(client: client, logger: logger)
        let scope = try IdempotencyScope("bench")
        let fingerprint = try IdempotencyFingerprint("bench")
        let keys = try (0..<calls).map { try IdempotencyKey("w5-\($0)") }
        let result = [UInt8](repeating: UInt8(ascii: "r"), count: 256)

        let requests = context.scaled(100_000, quick: 20_000)
        let references = [
            "first": try await context.referenceOpsPerSecond(tests: ["set"], pick: "set", clients: 16, requests: requests, dataSize: 256),
            "replay": try await context.referenceOpsPerSecond(tests: ["set", "get"], pick: "get", clients: 16, requests: requests, dataSize: 256),
        ]
        for phase in ["first", "replay"] {
            context.progress("W5 \(phase): \(calls) executions, 16 callers")
            let run = try await CallMeasurement.measure(calls: calls, callers: 16) { index in
                let outcome = try await store.execute(key: keys[index % calls], scope: scope, fingerprint: fingerprint) { result }
                return outcome.result?.count ?? 0
            }
            let opsPerSecond = Double(calls) / (Double(run.elapsedNanos) / 1e9)
            var line = BenchLine(id: id, workload: name)
            line["phase"] = .string(phase)
            line["n"] = .int(calls)
            line["ops_per_s"] = .int(Int(opsPerSecond))
            line.addPercentiles(run.samples)
            line.addReference(
                tool: phase == "first" ? "redis-benchmark -c 16 SET" : "redis-benchmark -c 16 GET",
                opsPerSecond: references[phase] ?? nil,
                ours: opsPerSecond
            )
            context.emit(line)
        }
        try await race(context: context, url: url, client: client)
    }

    /// Two processes × 16 workers execute the same 1,000 keys; every key must run exactly once.
    private func race(context: BenchContext, url: String, client: RedisClient) async throws {
        let keys = context.scaled(1_000, quick: 200)
        context.progress("W5 race: 2 processes x 16 workers over \(keys) keys")
        let executable = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let processes = [
            try await InstanceProcess.start(executable: executable, leadingArguments: [InstanceRunner.modeFlag], redisURL: url, instance: "A"),
            try await InstanceProcess.start(executable: executable, leadingArguments: [InstanceRunner.modeFlag], redisURL: url, instance: "B"),
        ]
        let clock = ContinuousClock()
        let start = clock.now
        let answers = try await withThrowingTaskGroup(of: InstanceProcess.Answer.self) { group in
            for (index, process) in processes.enumerated() {
                group.addTask { try await process.send("idempotency-race \(url) \(keys) 16 P\(index)") }
            }
            return try await group.reduce(into: [InstanceProcess.Answer]()) { $0.append($1) }
        }
        let elapsed = clock.now - start
        for process in processes { await process.stop() }
        let counts = try await client.pipeline((0..<keys).map { RedisCommand("GET", "race:runs:\($0)") }).map { $0.int ?? 0 }
        var line = BenchLine(id: id, workload: name)
        line["phase"] = .string("race")
        line["keys"] = .int(keys)
        line["n"] = .int(keys * 32)
        line["max_executions_per_key"] = .int(counts.max() ?? 0)
        line["min_executions_per_key"] = .int(counts.min() ?? 0)
        line["inconsistent"] = .int(answers.reduce(0) { $0 + $1.count("inconsistent") })
        line["failed"] = .int(answers.reduce(0) { $0 + $1.count("failed") })
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        line["ops_per_s"] = .int(Int(Double(keys * 32) / seconds))
        line["p50_us"] = .double(.nan)
        line["p99_us"] = .double(.nan)
        context.emit(line)
    }
}
