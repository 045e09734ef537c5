import Synchronization

/// A result that several tasks race to set; the first wins and wakes the one waiter.
final class RaceToResume<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
        var onFinish: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// Sets the result if none was set yet.
    /// - Returns: Whether this call set it.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (won, waiter, onFinish) = state.withLock { state -> (Bool, CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard state.result == nil else { return (false, nil, nil) }
            state.result = result
            defer {
                state.waiter = nil
                state.onFinish = nil
            }
            return (true, state.waiter, state.onFinish)
        }
        waiter?.resume(with: result)
        onFinish?()
        return won
    }

    /// Runs `action` once the result is set (at once if it already is).
    func onFinish(_ action: @escaping @Sendable () -> Void) {
        let finished = state.withLock { state in
            if state.result != nil { return true }
            state.onFinish = action
            return false
        }
        if finished { action() }
    }

    /// Waits for the result.
    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let result = state.withLock { state in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let result { continuation.resume(with: result) }
        }
    }
}
