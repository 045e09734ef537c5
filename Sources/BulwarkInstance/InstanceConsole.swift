import Foundation
import Resilience
import SharedState

/// Runs the commands of `bulwark-instance` against its breaker.
struct InstanceConsole: Sendable {
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

    /// What the dependency did when called.
    private struct DependencyFailure: Error, ResilienceClassifiable {
        var resilienceKind: ResilienceError.Code { .unavailable }
    }

    let breaker: CircuitBreaker
    let registry: SharedBreakerRegistry

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
        case "state":
            return state()
        default:
            return ["error": .string("unknown command: \(line)")]
        }
    }

    private func call(fails: Bool, holding duration: Duration) async -> String {
        do {
            try await breaker.execute {
                if duration > .zero { try await Task.sleep(for: duration) }
                if fails { throw DependencyFailure() }
            }
            return "ok"
        } catch let error as ResilienceError where error.code == .breakerOpen {
            return "rejected"
        } catch {
            return "failed"
        }
    }

    private func state() -> [String: Value] {
        [
            "state": .string(breaker.state.description),
            "generation": .int(Int(breaker.generation)),
            "status": .string(registry.status.isDegraded ? "fallback" : "shared"),
        ]
    }
}
