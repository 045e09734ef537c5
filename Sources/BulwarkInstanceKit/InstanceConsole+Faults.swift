import Resilience
import SharedState
import Synchronization

/// What the fault-schedule and partition tests ask of an instance: calls that remember the generation
/// that admitted them, and manual control of the breaker.
extension InstanceConsole {
    /// The most admitted calls remembered for `admitted`.
    static let admittedLogLimit = 4_096

    /// - `pcall ok|fail` — one call through the breaker that remembers its permit: answers like `call`.
    /// - `admitted` — the calls remembered since the last `admitted`, as `generation:p|n:ok|failed:wall_ns` words
    ///   (`p` for a half-open probe; when it was admitted, wall clock), oldest first, at most ``admittedLogLimit``.
    /// - `isolate`, `disable`, `reset` — manual control of the breaker (fleet-wide through the operator path).
    /// - `command isolate|disable|reset|close` — the registry's operator command; answers an `error` when Redis
    ///   did not take it.
    func faultCommand(_ words: [String]) async -> [String: Value]? {
        switch words.first {
        case "pcall" where words.count == 2:
            let fails = words[1] == "fail"
            var result = "ok"
            do {
                try await breaker.executeWithPermit { permit in
                    let kind = permit.isProbe ? "p" : "n"
                    let entry = "\(permit.generation):\(kind):\(fails ? "failed" : "ok"):\(Self.wallClockNanoseconds())"
                    admittedCalls.withLock { log in
                        if log.count == Self.admittedLogLimit { log.removeFirst(log.count / 4) }
                        log.append(entry)
                    }
                    if fails { throw InstanceDependencyFailure() }
                }
            } catch let error as ResilienceError where error.code == .breakerOpen {
                result = "rejected"
            } catch {
                result = "failed"
            }
            var answer = state()
            answer["result"] = .string(result)
            return answer
        case "admitted":
            let log = admittedCalls.withLock { log in
                defer { log = [] }
                return log
            }
            return ["admitted": .string(log.joined(separator: " "))]
        case "isolate", "disable", "reset":
            switch words[0] {
            case "isolate": breaker.isolate()
            case "disable": breaker.disable()
            default: breaker.reset()
            }
            return state()
        case "command" where words.count == 2:
            guard let command = SharedBreakerStore.Command(rawValue: words[1]) else { return ["error": .string("unknown command")] }
            do {
                let snapshot = try await registry.command(command, breaker: breaker.name)
                var answer = state()
                answer["redis_generation"] = .int(Int(snapshot.generation))
                return answer
            } catch {
                var answer = state()
                answer["error"] = .string("\(error.code)")
                return answer
            }
        default:
            return nil
        }
    }
}

/// What the dependency does when a call is told to fail.
struct InstanceDependencyFailure: Error, ResilienceClassifiable {
    var resilienceKind: ResilienceError.Code { .unavailable }
}
