/// The deadline of the call in progress: the soonest of the ``TimeoutPolicy`` deadlines around it.
///
/// A timeout sets it for the work it runs (child tasks inherit it), so that a ``RetryPolicy`` inside does not
/// start a wait that would outlast it. The deadline keeps its own clock: a policy on another clock compares
/// durations, never instants of different clocks.
@usableFromInline
struct CallDeadline: Sendable {
    /// The task-local that holds the deadline of the innermost timeout around the current task.
    ///
    /// Declared without the `@TaskLocal` wrapper, whose projection inlined code cannot reach: a timeout's
    /// inlined path sets it directly.
    @usableFromInline static let local = TaskLocal<CallDeadline?>(wrappedValue: nil)

    /// The deadline of the innermost timeout around the current task, if any.
    @usableFromInline static var current: CallDeadline? { local.get() }

    @usableFromInline let instant: ResilienceInstant
    @usableFromInline let clock: any ResilienceClock

    /// Creates the deadline `instant` of `clock`.
    /// - Parameters:
    ///   - instant: When the call must end.
    ///   - clock: The clock of `instant`.
    @usableFromInline
    init(instant: ResilienceInstant, clock: any ResilienceClock) {
        self.instant = instant
        self.clock = clock
    }

    /// The time left until the deadline; zero or negative once it has passed.
    @usableFromInline var remaining: Duration { clock.now.duration(to: instant) }

    /// Runs `body` with this deadline as the current one, unless a deadline around it ends sooner.
    /// - Parameter body: The work the deadline applies to.
    /// - Returns: What `body` returned.
    @inlinable
    func apply<T>(_ body: () async throws -> T) async rethrows -> T {
        if let outer = Self.current, outer.remaining <= remaining { return try await body() }
        return try await Self.local.withValue(self, operation: body)
    }
}
