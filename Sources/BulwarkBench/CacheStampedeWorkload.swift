import BulwarkInstanceKit
import Foundation
import RedisClient

/// W4: two processes × 64 concurrent get-or-set of one cold key whose factory takes 50 ms, repeated over
/// fresh keys: factory executions in the whole fleet (the right answer is 1, every trial) and the callers'
/// p99 wait, in all and split between the process that ran the factory and the one that waited for its fill.
struct CacheStampedeWorkload: BenchWorkload {
    let id = "W4"
    let name = "cache-stampede"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        guard let url = context.redisURL else { return }
        let trials = context.scaled(20, quick: 5)
        let executable = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let processes = [
            try await InstanceProcess.start(executable: executable, leadingArguments: [InstanceRunner.modeFlag], redisURL: url, instance: "A"),
            try await InstanceProcess.start(executable: executable, leadingArguments: [InstanceRunner.modeFlag], redisURL: url, instance: "B"),
        ]
        var executions: [Int] = []
        var waits = LatencySamples()
        // The process that ran the factory, and the one that waited for the other's fill.
        var fillerWaits = LatencySamples()
        var waiterWaits = LatencySamples()
        // The same-run reference: 64 tasks of this process that only sleep as long as the factory, so that the
        // machine's own scheduling delay shows beside the cache's.
        var floorWaits = LatencySamples()
        var inconsistent = 0
        for trial in 0..<trials {
            context.progress("W4 trial \(trial + 1)/\(trials)")
            let key = "stampede:\(trial):\(UInt32.random(in: 0...UInt32.max))"
            let answers = try await withThrowingTaskGroup(of: InstanceProcess.Answer.self) { group in
                for process in processes { group.addTask { try await process.send("stampede 64 50 \(key)") } }
                return try await group.reduce(into: [InstanceProcess.Answer]()) { $0.append($1) }
            }
            executions.append(answers.reduce(0) { $0 + $1.count("executions") })
            for answer in answers {
                let nanoseconds = UInt64(answer.count("wait_p99_us")) * 1_000
                waits.record(nanoseconds)
                if answer.count("executions") > 0 { fillerWaits.record(nanoseconds) } else { waiterWaits.record(nanoseconds) }
            }
            floorWaits.record(await Self.sleepingTasksP99(64, sleeping: .milliseconds(50)))
            let values = Set(answers.compactMap { $0.fields["value"] as? String })
            if values.count != 1 || answers.contains(where: { ($0.fields["consistent"] as? Bool) != true }) { inconsistent += 1 }
        }
        for process in processes { await process.stop() }
        var line = BenchLine(id: id, workload: name)
        line["trials"] = .int(trials)
        line["n"] = .int(trials * 128)
        line["factory_executions"] = .int(executions.max() ?? 0)
        line["factory_executions_min"] = .int(executions.min() ?? 0)
        line["inconsistent_trials"] = .int(inconsistent)
        line["wait_p99_ms"] = .double(waits.percentileMicroseconds(0.99) / 1_000)
        line["filler_wait_p99_ms"] = .double(fillerWaits.percentileMicroseconds(0.99) / 1_000)
        line["waiter_wait_p99_ms"] = .double(waiterWaits.percentileMicroseconds(0.99) / 1_000)
        line["ops_per_s"] = .double(.nan)
        line["p50_us"] = .double(waits.percentileMicroseconds(0.5))
        line["p99_us"] = .double(waits.percentileMicroseconds(0.99))
        var reference = BenchLine()
        reference["tool"] = .string("64 tasks sleeping 50 ms, same machine, after each trial")
        reference["wait_p99_ms"] = .double(floorWaits.percentileMicroseconds(0.99) / 1_000)
        line["reference"] = .object(reference)
        context.emit(line)
    }

    /// The p99 time for `count` concurrent tasks that each sleep `duration`, from start to end.
    private static func sleepingTasksP99(_ count: Int, sleeping duration: Duration) async -> Duration {
        let clock = ContinuousClock()
        let waits = await withTaskGroup(of: Duration.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let start = clock.now
                    try? await Task.sleep(for: duration)
                    return clock.now - start
                }
            }
            return await group.reduce(into: [Duration]()) { $0.append($1) }
        }.sorted()
        return waits[min(waits.count - 1, Int((Double(waits.count) * 0.99).rounded(.up)) - 1)]
    }
}
