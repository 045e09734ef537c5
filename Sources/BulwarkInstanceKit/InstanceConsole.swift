import Foundation
import Resilience
import SharedState
import Synchronization

/// Runs the commands of `bulwark-instance` against its breaker.
final class InstanceConsole: Sendable {
    /// A JSON value in an answer.
    enum Value: Sendable {
        case int(Int)
        case string(String)
        case bool(Bool)

        var json: String {
            switch self {
            case .int(let value): String(value)
            case .string(let value): "\"\(value)\""
            case .bool(let value): value ? "true" : "false"
            }
        }
    }

    let breaker: CircuitBreaker
    let registry: SharedBreakerRegistry
    let cache: SharedCache
    /// When the calls of the last `until-rejected` run started (wall clock, ns), newest last, at most 65,536.
    let recentCallStarts = Mutex<[Int64]>([])
    /// The calls `pcall` admitted since the last `admitted`, as `generation:p|n:outcome:wall_ns`.
    let admittedCalls = Mutex<[String]>([])

    init(breaker: CircuitBreaker, registry: SharedBreakerRegistry, cache: SharedCache) {
        self.breaker = breaker
        self.registry = registry
        self.cache = cache
    }

    /// Runs `callers` concurrent get-or-set calls of `key` whose factory takes `delay`; answers how many times
    /// this instance ran the factory, whether every caller got the same value, and the slowest wait.
    private func stampede(callers: Int, delay: Duration, key: String) async -> [String: Value] {
        let executions = ExecutionCounter()
        let clock = ContinuousClock()
        let results = await withTaskGroup(of: (String?, Duration).self) { group in
            for _ in 0..<callers {
                group.addTask {
                    let start = clock.now
                    let value = try? await self.cache.getOrSet(key, options: .init(timeToLive: .seconds(60))) {
                        executions.add()
                        try await Task.sleep(for: delay)
                        return "value-\(Self.wallClockNanoseconds())"
                    }
                    return (value, clock.now - start)
                }
            }
            return await group.reduce(into: [(String?, Duration)]()) { $0.append($1) }
        }
        let waits = results.map(\.1).sorted()
        let slowest = waits[min(waits.count - 1, Int((Double(waits.count) * 0.99).rounded(.up)) - 1)]
        let values = Set(results.map(\.0))
        return [
            "executions": .int(executions.count),
            "consistent": .bool(values.count == 1 && values.first! != nil),
            "value": .string(values.first.flatMap { $0 } ?? ""),
            "wait_p99_us": .int(Int(slowest.components.seconds) * 1_000_000 + Int(slowest.components.attoseconds / 1_000_000_000_000)),
        ]
    }

    /// Calls in a tight loop until the breaker rejects one (or `limit` calls), remembering when each started.
    /// Answers how many calls ran and when the first rejection came (wall clock, ns, comparable across processes).
    private func untilRejected(fails: Bool, limit: Int) async -> [String: Value] {
        var starts: [Int64] = []
        starts.reserveCapacity(min(limit, 65_536))
        var ran = 0
        var rejectedAt: Int64 = 0
        for _ in 0..<limit {
            let started = Self.wallClockNanoseconds()
            let result = await call(fails: fails, holding: .zero)
            if result == "rejected" {
                rejectedAt = started
                break
            }
            ran += 1
            if starts.count == 65_536 { starts.removeFirst(16_384) }
            starts.append(started)
        }
        recentCallStarts.withLock { $0 = starts }
        var answer = state()
        answer["ran"] = .int(ran)
        answer["rejected_at_ns"] = .int(Int(rejectedAt))
        return answer
    }

    /// The wall clock in nanoseconds: the same clock in every process on the machine.
    static func wallClockNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    func handle(_ line: String) async -> [String: Value] {
        let words = line.split(separator: " ").map(String.init)
        switch words.first {
        case "call" where words.count == 2:
            let result = await call(fails: words[1] == "fail", holding: .zero)
            var answer = state()
            answer["result"] = .string(result)
            return answer
        case "hold" where words.count == 2:
            let result = await call(fails: false, holding: .milliseconds(Int(words[1]) ?? 0))
            var answer = state()
            answer["result"] = .string(result)
            return answer
        case "burst" where words.count == 3:
            var counts: [String: Int] = [:]
            for _ in 0..<(Int(words[1]) ?? 0) {
                counts[await call(fails: words[2] == "fail", holding: .zero), default: 0] += 1
            }
            var answer = state()
            for (result, count) in counts { answer[result] = .int(count) }
            return answer
        case "fail-until-rejected" where words.count == 2, "ok-until-rejected" where words.count == 2:
            return await untilRejected(fails: words[0] == "fail-until-rejected", limit: Int(words[1]) ?? 0)
        case "stampede" where words.count == 4:
            return await stampede(callers: Int(words[1]) ?? 1, delay: .milliseconds(Int(words[2]) ?? 0), key: words[3])
        case "count-after" where words.count == 2:
            let instant = Int64(words[1]) ?? .max
            return ["count": .int(recentCallStarts.withLock { $0.filter { $0 > instant }.count })]
        case "idempotency-race" where words.count == 5:
            return await idempotencyRace(redisURL: words[1], keys: Int(words[2]) ?? 0, workers: Int(words[3]) ?? 0, instance: words[4])
        case "state":
            return state()
        default:
            if let answer = await faultCommand(words) { return answer }
            if let answer = await rateLimitCommand(words) { return answer }
            return await cacheCommand(words) ?? ["error": .string("unknown command: \(line)")]
        }
    }

    private func call(fails: Bool, holding duration: Duration) async -> String {
        do {
            try await breaker.execute {
                if duration > .zero { try await Task.sleep(for: duration) }
                if fails { throw InstanceDependencyFailure() }
            }
            return "ok"
        } catch let error as ResilienceError where error.code == .breakerOpen {
            return "rejected"
        } catch {
            return "failed"
        }
    }

    func state() -> [String: Value] {
        [
            "state": .string(breaker.state.description),
            "generation": .int(Int(breaker.generation)),
            "status": .string(registry.status.isDegraded ? "fallback" : "shared"),
            "delegated": .bool(breaker.isDelegated),
        ]
    }
}

/// Counts factory runs across the tasks of a stampede.
private final class ExecutionCounter: Sendable {
    private let runs = Mutex(0)
    var count: Int { runs.withLock { $0 } }
    func add() { runs.withLock { $0 += 1 } }
}
