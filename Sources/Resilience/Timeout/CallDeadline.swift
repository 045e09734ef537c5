/// The deadline of the call in progress: the soonest of the ``TimeoutPolicy`` deadlines around it.
///
/// A timeout sets it for the work it runs (child tasks inherit it), so that a ``RetryPolicy`` inside does not
/// start a wait that would outlast it. The deadline keeps its own clock: a policy on another clock compares
/// durations, never instants of different clocks.
struct CallDeadline: Sendable {
    /// The deadline of the innermost timeout around the current task, if any.
    @TaskLocal static var current: CallDeadline?

    let instant: ResilienceInstant
    let clock: any ResilienceClock

    /// The time left until the deadline; zero or negative once it has passed.
    var remaining: Duration { clock.now.duration(to: instant) }

    /// Runs `body` with this deadline as the current one, unless a deadline around it ends sooner.
    /// - Parameter body: The work the deadline applies to.
    /// - Returns: What `body` returned.
    func apply<T>(_ body: () async throws -> T) async rethrows -> T {
        if let outer = Self.current, outer.remaining <= remaining { return try await body() }
        return try await Self.$current.withValue(self, operation: body)
    }
}
