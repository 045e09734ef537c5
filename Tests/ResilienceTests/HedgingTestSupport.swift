import Resilience
import Synchronization
import Testing

/// Attempts of a hedged call that run until the test ends them: each waits on a continuation the test resumes,
/// and records when it started and when it saw its cancellation, so that tests wait for events instead of time.
final class AttemptGate: Sendable {
    fileprivate struct Watcher {
        var isSatisfied: @Sendable (State) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    struct State {
        var started: [Int] = []
        var cancelled: Set<Int> = []
        var ended: Set<Int> = []
        fileprivate var waiting: [Int: CheckedContinuation<Int, any Error>] = [:]
        fileprivate var cancelledBeforeWaiting: Set<Int> = []
        fileprivate var watchers: [Watcher] = []

        fileprivate mutating func readyWatchers() -> [CheckedContinuation<Void, Never>] {
            var ready: [CheckedContinuation<Void, Never>] = []
            let snapshot = self
            watchers.removeAll { watcher in
                guard watcher.isSatisfied(snapshot) else { return false }
                ready.append(watcher.continuation)
                return true
            }
            return ready
        }
    }

    private let state = Mutex(State())

    /// The attempts that started, in order.
    var started: [Int] { state.withLock { $0.started } }
    /// The attempts that saw their cancellation.
    var cancelled: Set<Int> { state.withLock { $0.cancelled } }

    /// The operation: waits until the test ends attempt `attempt`, or until it is cancelled.
    func run(_ attempt: Int) async throws -> Int {
        defer {
            let ready = state.withLock { state in
                state.ended.insert(attempt)
                return state.readyWatchers()
            }
            for watcher in ready { watcher.resume() }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let (early, ready) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                    state.started.append(attempt)
                    let early = state.cancelledBeforeWaiting.contains(attempt)
                    if !early { state.waiting[attempt] = continuation }
                    return (early, state.readyWatchers())
                }
                if early { continuation.resume(throwing: CancellationError()) }
                for watcher in ready { watcher.resume() }
            }
        } onCancel: {
            let (waiting, ready) = state.withLock { state -> (CheckedContinuation<Int, any Error>?, [CheckedContinuation<Void, Never>]) in
                state.cancelled.insert(attempt)
                let waiting = state.waiting.removeValue(forKey: attempt)
                if waiting == nil { state.cancelledBeforeWaiting.insert(attempt) }
                return (waiting, state.readyWatchers())
            }
            waiting?.resume(throwing: CancellationError())
            for watcher in ready { watcher.resume() }
        }
    }

    /// Makes attempt `attempt` return `value` (its number by default); it must be waiting.
    func succeed(_ attempt: Int, with value: Int? = nil) {
        end(attempt, .success(value ?? attempt))
    }

    /// Makes attempt `attempt` throw `error`; it must be waiting.
    func fail(_ attempt: Int, with error: any Error) {
        end(attempt, .failure(error))
    }

    /// Waits until `count` attempts have started and are waiting (or were cancelled).
    func waitForStarted(_ count: Int) async {
        await waitUntil { $0.started.count >= count }
    }

    /// Waits until every attempt of `attempts` has returned or thrown, out of its cancellation handler.
    func waitForEnded(_ attempts: Set<Int>) async {
        await waitUntil { attempts.isSubset(of: $0.ended) }
    }

    /// Waits until every attempt of `attempts` has seen its cancellation.
    func waitForCancelled(_ attempts: Set<Int>) async {
        await waitUntil { attempts.isSubset(of: $0.cancelled) }
    }

    private func end(_ attempt: Int, _ result: Result<Int, any Error>) {
        guard let waiting = state.withLock({ $0.waiting.removeValue(forKey: attempt) }) else {
            Issue.record("attempt \(attempt) is not waiting")
            return
        }
        waiting.resume(with: result)
    }

    private func waitUntil(_ isSatisfied: @escaping @Sendable (State) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let satisfied = state.withLock { state in
                if isSatisfied(state) { return true }
                state.watchers.append(Watcher(isSatisfied: isSatisfied, continuation: continuation))
                return false
            }
            if satisfied { continuation.resume() }
        }
    }
}

/// A hedging policy on `clock` whose events are collected in `events`.
func hedgingPolicy(
    _ configuration: HedgingConfiguration,
    clock: ManualClock = ManualClock(),
    events: Locked<[HedgingEvent]> = Locked([]),
    telemetry: ResilienceTelemetry = ResilienceTelemetry()
) throws -> HedgingPolicy {
    try HedgingPolicy(name: "test", configuration: configuration, clock: clock, telemetry: telemetry) { event in
        events.mutate { $0.append(event) }
    }
}

/// The kinds and attempts of `events`, to compare in one expectation.
func summary(_ events: [HedgingEvent]) -> [String] {
    events.map { "\($0.kind)@\($0.attempt)" }
}
