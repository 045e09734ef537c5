import Synchronization

/// A factory running in a task of its own, whose result is awaited with a time limit: one wait at a time, as
/// often as needed (a run left in the background after its soft timeout is awaited again until its hard
/// timeout).
///
/// The run hands its result to the waiting task itself, with no watcher task in between (one scheduling hop
/// less between the factory's end and the callers), and a wait's timer ends with the wait: neither outlives its
/// purpose.
final class FactoryRun: Sendable {
    typealias Outcome = Result<[UInt8], any Error>

    private struct State {
        var outcome: Outcome?
        var waiter: CheckedContinuation<Outcome?, Never>?
        /// Which wait the waiter belongs to, so that the timer of an earlier wait cannot end a later one.
        var wait: UInt64 = 0
        var timer: Task<Void, Never>?
        var work: Task<Void, Never>?
    }

    private let state = Mutex(State())
    private let helpers: HelperTasks

    /// Starts `produce`; its timers are counted in `helpers`.
    init(helpers: HelperTasks, _ produce: @escaping @Sendable () async throws -> [UInt8]) {
        self.helpers = helpers
        let work = Task {
            let outcome: Outcome
            do {
                outcome = .success(try await produce())
            } catch {
                outcome = .failure(error)
            }
            self.finish(outcome)
        }
        state.withLock { $0.work = work }
    }

    /// The factory's outcome, or `nil` when it has not finished within `timeout`.
    func outcome(within timeout: Duration) async -> Outcome? {
        await withCheckedContinuation { continuation in
            let wait = state.withLock { state -> UInt64? in
                guard state.outcome == nil else { return nil }
                state.wait &+= 1
                state.waiter = continuation
                return state.wait
            }
            guard let wait else {
                continuation.resume(returning: state.withLock { $0.outcome })
                return
            }
            let timer = helpers.spawn {
                do {
                    try await Task.sleep(for: timeout)
                } catch {
                    return
                }
                self.expire(wait)
            }
            let ended = state.withLock { state -> Bool in
                guard state.waiter != nil, state.wait == wait else { return true }
                state.timer = timer
                return false
            }
            if ended { timer.cancel() }
        }
    }

    /// Cancels the factory's task.
    func cancel() {
        state.withLock { $0.work }?.cancel()
    }

    private func finish(_ outcome: Outcome) {
        let (waiter, timer) = state.withLock { state in
            state.outcome = outcome
            defer {
                state.waiter = nil
                state.timer = nil
            }
            return (state.waiter, state.timer)
        }
        timer?.cancel()
        waiter?.resume(returning: outcome)
    }

    private func expire(_ wait: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Outcome?, Never>? in
            guard state.wait == wait else { return nil }
            defer {
                state.waiter = nil
                state.timer = nil
            }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }
}
