/// The source of time for every policy: a monotonic `now` and a way to wait.
///
/// Policies never read the wall clock or call `Task.sleep` themselves; they ask the clock they were
/// given. Production code uses ``SystemClock``; tests use ``ManualClock`` and move time by hand, so
/// that a test of a 30 second break runs in microseconds.
public protocol ResilienceClock: Sendable {
    /// The current instant. Must never go backwards.
    var now: ResilienceInstant { get }

    /// The current instant at a coarser precision (a few milliseconds), when that is cheaper to read.
    ///
    /// Used where only the bucket of a multi-second window matters. Must never be later than ``now``
    /// and never go backwards; defaults to ``now``.
    var coarseNow: ResilienceInstant { get }

    /// Suspends until `deadline` has been reached.
    /// - Parameter deadline: The instant to wait for; returns at once when it has passed.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    func sleep(until deadline: ResilienceInstant) async throws
}

extension ResilienceClock {
    /// The precise instant: clocks without a cheaper coarse reading use ``now``.
    public var coarseNow: ResilienceInstant { now }

    /// Suspends for `duration`.
    /// - Parameter duration: How long to wait; returns at once when zero or negative.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now.advanced(by: duration))
    }
}
