import Foundation
import Resilience

/// A simulated downstream dependency for demo mode, with a character that shapes its failures.
struct DemoDependency: Sendable {
    /// How the dependency behaves.
    enum Character: Sendable {
        /// Answers in a few milliseconds; one call in a hundred fails.
        case healthy
        /// Alternates 20 s of health with 20 s in which most calls fail, so its breaker opens and closes.
        case flapping
        /// Every call fails after a while.
        case down
    }

    let name: String
    let character: Character
    let started: ContinuousClock.Instant

    /// One call: returns after a short simulated latency or throws a classified failure.
    func call() async throws -> String {
        let failureRatio: Double
        let latency: Duration
        switch character {
        case .healthy:
            failureRatio = 0.01
            latency = .milliseconds(Int.random(in: 2...8))
        case .flapping:
            let phase = Int((ContinuousClock.now - started) / .seconds(20))
            failureRatio = phase.isMultiple(of: 2) ? 0.05 : 0.8
            latency = .milliseconds(Int.random(in: 5...20))
        case .down:
            failureRatio = 1
            latency = .milliseconds(Int.random(in: 20...40))
        }
        try await Task.sleep(for: latency)
        if Double.random(in: 0..<1) < failureRatio {
            throw ResilienceError(.unavailable, message: "\(name) answered 503")
        }
        return "ok"
    }
}
