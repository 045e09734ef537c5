import Synchronization

/// One task's wait for a signal, ended by the signal or a deadline, whichever comes first.
///
/// The deadline is a timer task that lives only as long as the wait: the signal cancels it.
final class BoundedWait: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Void, Never>?
        var done = false
        var timer: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// Waits until ``resume()`` or until `limit` has passed.
    func wait(atMost limit: Duration) async {
        await withCheckedContinuation { continuation in
            let alreadyDone = state.withLock { state -> Bool in
                if state.done { return true }
                state.continuation = continuation
                state.timer = Task { [self] in
                    try? await Task.sleep(for: limit)
                    resume()
                }
                return false
            }
            if alreadyDone { continuation.resume() }
        }
    }

    /// Ends the wait (once; later calls do nothing).
    func resume() {
        let (continuation, timer) = state.withLock { state -> (CheckedContinuation<Void, Never>?, Task<Void, Never>?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            defer {
                state.continuation = nil
                state.timer = nil
            }
            return (state.continuation, state.timer)
        }
        timer?.cancel()
        continuation?.resume()
    }
}
