import Logging
import RedisClient
import SharedState

/// W3: 16 callers make 1,000,000 get-or-set calls over 1,000 keys of 256 bytes, all present: with the
/// in-process tier (`l1`) and without it (`l2`, Redis on every call, beside `redis-benchmark` GET at 16
/// clients in the same run).
struct CacheHitWorkload: BenchWorkload {
    let id = "W3"
    let name = "cache-hit"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        guard context.redisURL != nil else { return }
        let callers = 16
        let logger = context.quietLogger()
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: 256)
        for tier in ["l1", "l2"] {
            let calls = tier == "l1" ? context.scaled(1_000_000, quick: 100_000) : context.scaled(200_000, quick: 20_000)
            var configuration = SharedCacheConfiguration()
            configuration.localTierEnabled = tier == "l1"
            let client = try context.makeClient(poolSize: 1, logger: logger)
            defer { client.shutdown() }
            let cache = try SharedCache(client: client, configuration: configuration, codec: RawCacheCodec(), logger: logger)
            let listener = Task { try await cache.run() }
            defer { listener.cancel() }
            try await Task.sleep(for: .milliseconds(200))
            let keys = (0..<1_000).map { "bench:\($0)" }
            for key in keys { _ = try await cache.getOrSet(key) { value } }
            let call: @Sendable (Int) async throws -> Int = { index in
                try await cache.getOrSet(keys[index % 1_000]) { value }.count
            }
            _ = try await CallMeasurement.measure(calls: calls / 10, callers: callers, call: call)
            var runs: [CallMeasurement.Run] = []
            for round in 0..<context.scaled(3, quick: 1) {
                context.progress("W3 \(tier) round \(round + 1): \(calls) calls, \(callers) callers")
                runs.append(try await CallMeasurement.measure(calls: calls, callers: callers, call: call))
            }
            let median = runs.sorted { $0.elapsedNanos < $1.elapsedNanos }[runs.count / 2]
            let opsPerSecond = Double(calls) / (Double(median.elapsedNanos) / 1e9)
            var line = BenchLine(id: id, workload: name)
            line["tier"] = .string(tier)
            line["n"] = .int(calls)
            line["callers"] = .int(callers)
            line["ops_per_s"] = .int(Int(opsPerSecond))
            line.addPercentiles(median.samples)
            if tier == "l2" {
                let reference = try await context.referenceOpsPerSecond(
                    tests: ["set", "get"],
                    pick: "get",
                    clients: 16,
                    requests: context.scaled(200_000, quick: 20_000),
                    dataSize: 256
                )
                line.addReference(tool: "redis-benchmark -c 16 GET", opsPerSecond: reference, ours: opsPerSecond)
            }
            context.emit(line)
        }
    }
}
