import Synchronization

/// Commands waiting for a connection's thread, and the task that waits for their replies.
///
/// The caller's continuation is resumed exactly once, by whichever comes first: the connection's thread
/// with the replies or an error, the caller's deadline (``DeadlineWatch``), or the cancellation of the
/// caller's task. A reply that arrives after the caller gave up is read and dropped, so the connection stays
/// in step and the next caller gets its own reply; a request given up before it was written is never written.
///
/// One object per call: the connection's thread, the deadline watch and the cancellation handler all need
/// to reach the one continuation. Its state lives inline (a `Mutex`), so nothing else is allocated for it.
final class RedisRequest: Sendable {
    /// Who receives the replies.
    enum Completion: Sendable {
        case single(UnsafeContinuation<RedisValue, any Error>)
        case many(UnsafeContinuation<[RedisValue], any Error>)
    }

    private enum State: Sendable {
        /// Created; the caller has not handed over its continuation yet.
        case created
        case waiting(Completion)
        /// Given up (deadline or cancellation) before the continuation was installed.
        case abandoned(RedisClientError)
        case done
    }

    /// One or more commands, RESP-encoded back to back.
    let encoded: [UInt8]
    /// How many replies the commands produce.
    let replyCount: Int
    /// How long the caller waits; the connection's read timeout stretches to it when it is longer than the
    /// configured command timeout.
    let timeout: Duration
    /// When the caller stops waiting, in ``MonotonicTime`` nanoseconds.
    let deadline: UInt64
    private let state = Mutex<State>(.created)

    init(encoded: [UInt8], replyCount: Int, timeout: Duration) {
        self.encoded = encoded
        self.replyCount = replyCount
        self.timeout = timeout
        self.deadline = MonotonicTime.deadline(after: timeout, from: MonotonicTime.now)
    }

    /// Hands over the caller's continuation; returns `false` (after resuming it with the error) when the
    /// request was given up already.
    func install(_ completion: Completion) -> Bool {
        let abandoned: RedisClientError? = state.withLock { state in
            if case .abandoned(let error) = state {
                state = .done
                return error
            }
            state = .waiting(completion)
            return nil
        }
        guard let abandoned else { return true }
        Self.resume(completion, throwing: abandoned)
        return false
    }

    /// Whether a caller still waits for the replies.
    var isWaiting: Bool {
        state.withLock { state in
            switch state {
            case .created, .waiting: true
            case .abandoned, .done: false
            }
        }
    }

    func succeed(_ values: [RedisValue]) {
        guard let completion = take(abandoning: nil) else { return }
        switch completion {
        case .single(let continuation): continuation.resume(returning: values[0])
        case .many(let continuation): continuation.resume(returning: values)
        }
    }

    func succeed(_ value: RedisValue) {
        guard let completion = take(abandoning: nil) else { return }
        switch completion {
        case .single(let continuation): continuation.resume(returning: value)
        case .many(let continuation): continuation.resume(returning: [value])
        }
    }

    /// Fails the request unless it is answered already; safe from any thread, any number of times.
    func fail(_ error: RedisClientError) {
        guard let completion = take(abandoning: error) else { return }
        Self.resume(completion, throwing: error)
    }

    /// Fails the request with ``RedisClientError/Code/timedOut`` unless it is answered already.
    func expire() {
        fail(RedisClientError(.timedOut, "no reply within the deadline of \(timeout)"))
    }

    /// Takes the continuation out; when none is installed yet, remembers `error` so that ``install(_:)``
    /// fails at once.
    private func take(abandoning error: RedisClientError?) -> Completion? {
        state.withLock { state in
            switch state {
            case .waiting(let completion):
                state = .done
                return completion
            case .created:
                if let error { state = .abandoned(error) }
                return nil
            case .abandoned, .done:
                return nil
            }
        }
    }

    private static func resume(_ completion: Completion, throwing error: RedisClientError) {
        switch completion {
        case .single(let continuation): continuation.resume(throwing: error)
        case .many(let continuation): continuation.resume(throwing: error)
        }
    }
}
