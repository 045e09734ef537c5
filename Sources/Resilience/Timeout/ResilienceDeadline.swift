/// The deadline of the call in progress, for operations that hand it on to what they call.
///
/// A ``TimeoutPolicy`` with ``TimeoutPolicy/Enforcement/deadline`` does not run the operation in a task of its
/// own and cancel it: it sets this deadline and trusts the operation to honour it, the way Polly passes a
/// cancellation token. Pass it on to whatever takes one:
///
/// ```swift
/// let timeout = TimeoutPolicy(timeout: .milliseconds(200), enforcement: .deadline)
/// let value = try await timeout.execute {
///     try await redis.send(RedisCommand("GET", key), timeout: ResilienceDeadline.remaining)
/// }
/// ```
///
/// Every timeout around the call sets it (the cancelling kind too), so a ``RetryPolicy`` never starts a wait that
/// would end past it; the soonest of the deadlines around the call wins.
public enum ResilienceDeadline {
    /// The time left until the soonest deadline around the current task, zero once it has passed; `nil` when
    /// no timeout runs around it.
    public static var remaining: Duration? {
        CallDeadline.current.map { max(.zero, $0.remaining) }
    }

    /// Whether a deadline around the current task has passed: an operation that checks it between steps stops
    /// as it would on cancellation.
    public static var hasPassed: Bool {
        CallDeadline.current.map { $0.remaining <= .zero } ?? false
    }
}
