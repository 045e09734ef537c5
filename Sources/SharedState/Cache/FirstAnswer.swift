import Synchronization

/// The first of several answers that race, awaited by one task: later answers are refused, so that their
/// senders can undo what they did.
final class FirstAnswer<Answer: Sendable>: Sendable {
    private struct State {
        var answer: Answer?
        var waiter: CheckedContinuation<Answer, Never>?
    }

    private let state = Mutex(State())

    /// Offers an answer. - Returns: Whether it was the first.
    func offer(_ answer: Answer) -> Bool {
        let (first, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Answer, Never>?) in
            guard state.answer == nil else { return (false, nil) }
            state.answer = answer
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume(returning: answer)
        return first
    }

    /// Waits for the first answer. Only one task may wait.
    var value: Answer {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Answer? in
                    if let answer = state.answer { return answer }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
