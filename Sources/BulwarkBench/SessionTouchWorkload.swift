import Logging
import RedisClient
import SharedState

/// W6: 10,000 sessions, 500,000 reads from 16 callers, each sliding the expiry in one round trip (one
/// request: a pipeline of three commands); beside `redis-benchmark` GET at 16 clients.
struct SessionTouchWorkload: BenchWorkload {
    let id = "W6"
    let name = "session-touch"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        guard context.redisURL != nil else { return }
        let sessions = context.scaled(10_000, quick: 1_000)
        let touches = context.scaled(500_000, quick: 20_000)
        let logger = context.quietLogger()
        let client = try context.makeClient(poolSize: 1, logger: logger)
        defer { client.shutdown() }
        let store = try SessionStore(client: client, logger: logger)
        let user = try SessionUser("bench")
        context.progress("W6 creating \(sessions) sessions")
        var ids: [SessionID] = []
        ids.reserveCapacity(sessions)
        for _ in 0..<sessions { ids.append(try await store.create(user: user, attributes: ["role": "reader"]).id) }
        let sessionIDs = ids
        let before = client.statistics
        context.progress("W6 \(touches) touches, 16 callers")
        let run = try await CallMeasurement.measure(calls: touches, callers: 16) { index in
            try await store.touch(sessionIDs[index % sessions]) == nil ? 0 : 1
        }
        let after = client.statistics
        let opsPerSecond = Double(touches) / (Double(run.elapsedNanos) / 1e9)
        var line = BenchLine(id: id, workload: name)
        line["n"] = .int(touches)
        line["sessions"] = .int(sessions)
        line["ops_per_s"] = .int(Int(opsPerSecond))
        line.addPercentiles(run.samples)
        line["redis_cmds_per_touch"] = .double(Double(after.commands - before.commands) / Double(touches))
        line["redis_requests_per_touch"] = .double(Double(after.requests - before.requests) / Double(touches))
        let reference = try await context.referenceOpsPerSecond(
            tests: ["set", "get"],
            pick: "get",
            clients: 16,
            requests: context.scaled(100_000, quick: 20_000),
            dataSize: 256
        )
        line.addReference(tool: "redis-benchmark -c 16 GET", opsPerSecond: reference, ours: opsPerSecond)
        context.emit(line)
    }
}
