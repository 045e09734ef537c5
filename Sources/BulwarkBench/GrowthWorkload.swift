import Foundation
import Logging
import RedisClient

/// W9: churn for a fixed number of operations in two equal halves — breakers named and abandoned, instances
/// restarted with new ids, tagged cache writes and tag invalidations, sessions created and left to expire —
/// and compare what Redis (key count, `used_memory`) and this process (resident memory) hold after each half.
/// A bounded store ends both halves with the same footprint (ratios near 1; the target is ≤ 1.1); per-store
/// figures show which one grows. Also the client's CPU per command at a steady 1,000 commands/s, beside
/// redis-server's own CPU per command over the same seconds.
///
/// The churned registries run with retentions short enough for the run (``GrowthChurn/breakerRetention`` and
/// ``GrowthChurn/instanceReportRetention`` 1 s, breakers' ratio window 1 s, instances' time to live 500 ms,
/// reported as `breaker_retention_ms`, `instance_report_retention_ms`, `breaker_window_ms`), and one resident
/// registry lives through the whole run as a fleet always has one: what a half abandons is pruned before the
/// half's snapshot, as it is after days in a fleet with the default retentions. The ratios thus say whether
/// pruning keeps up, not how long the defaults keep things.
struct GrowthWorkload: BenchWorkload {
    let id = "W9"
    let name = "growth"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        guard context.redisURL != nil else { return }
        let logger = context.quietLogger(.error)
        let client = try context.makeClient(poolSize: 2, logger: logger)
        defer { client.shutdown() }

        context.progress("W9 client CPU at 1,000 commands/s")
        let cpu = try await ClientCPUMeasurement.run(client: client, seconds: context.scaled(5, quick: 1))

        let churn = try GrowthChurn(
            client: client,
            logger: logger,
            breakers: context.scaled(10_000, quick: 400),
            restarts: context.scaled(1_000, quick: 40),
            cacheWrites: context.scaled(100_000, quick: 4_000),
            sessions: context.scaled(20_000, quick: 1_000)
        )
        try await churn.prepare()
        defer { churn.stop() }
        var snapshots: [GrowthSnapshot] = []
        for half in 0..<2 {
            try await churn.half(half) { context.progress("W9 half \(half + 1)/2: \($0)") }
            snapshots.append(try await GrowthSnapshot.take(client: client))
        }

        var line = BenchLine(id: id, workload: name)
        line["breakers"] = .int(churn.breakers)
        line["restarts"] = .int(churn.restarts)
        line["cache_writes"] = .int(churn.cacheWrites)
        line["tag_invalidations"] = .int(churn.tagInvalidations)
        line["sessions"] = .int(churn.sessions)
        line["breaker_retention_ms"] = .double(GrowthChurn.breakerRetention / .milliseconds(1))
        line["instance_report_retention_ms"] = .double(GrowthChurn.instanceReportRetention / .milliseconds(1))
        line["breaker_window_ms"] = .double(GrowthChurn.breakerWindow / .milliseconds(1))
        let (first, second) = (snapshots[0], snapshots[1])
        line["keys_half1"] = .int(first.keys)
        line["keys_half2"] = .int(second.keys)
        line["keys_growth_ratio"] = .double(Self.ratio(second.keys, first.keys))
        line["memory_half1"] = .int(first.usedMemory)
        line["memory_half2"] = .int(second.usedMemory)
        line["memory_growth_ratio"] = .double(Self.ratio(second.usedMemory, first.usedMemory))
        line["rss_half1"] = .int(first.residentMemory)
        line["rss_half2"] = .int(second.residentMemory)
        line["rss_growth_ratio"] = .double(Self.ratio(second.residentMemory, first.residentMemory))
        var stores = BenchLine()
        for store in GrowthSnapshot.Store.allCases {
            let (before, after) = (first.stores[store] ?? .init(), second.stores[store] ?? .init())
            var figures = BenchLine()
            figures["keys_half1"] = .int(before.keys)
            figures["keys_half2"] = .int(after.keys)
            figures["bytes_half1"] = .int(before.bytes)
            figures["bytes_half2"] = .int(after.bytes)
            figures["bytes_growth_ratio"] = .double(Self.ratio(after.bytes, before.bytes))
            stores[store.rawValue] = .object(figures)
        }
        line["stores"] = .object(stores)
        cpu.report(into: &line)
        line["ops_per_s"] = .double(.nan)
        context.emit(line)
    }

    private static func ratio(_ after: Int, _ before: Int) -> Double {
        before > 0 ? Double(after) / Double(before) : (after > 0 ? .infinity : 1)
    }
}
