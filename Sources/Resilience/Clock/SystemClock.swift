#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real monotonic clock (`CLOCK_MONOTONIC`), the default of every policy.
///
/// Reading `now` is a vDSO call of a few nanoseconds and never blocks.
public struct SystemClock: ResilienceClock {
    /// Creates the system clock.
    public init() {}

    /// The current monotonic instant.
    public var now: ResilienceInstant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return ResilienceInstant(nanoseconds: Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec))
    }

    /// The current monotonic instant as of the last timer tick (`CLOCK_MONOTONIC_COARSE`, a few ms behind at most).
    public var coarseNow: ResilienceInstant {
        var spec = timespec()
        #if os(Linux)
            clock_gettime(CLOCK_MONOTONIC_COARSE, &spec)
        #else
            clock_gettime(CLOCK_MONOTONIC, &spec)
        #endif
        return ResilienceInstant(nanoseconds: Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec))
    }

    /// Suspends until `deadline`, with `Task.sleep`.
    /// - Parameter deadline: The instant to wait for.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func sleep(until deadline: ResilienceInstant) async throws {
        let remaining = now.duration(to: deadline)
        guard remaining > .zero else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: remaining)
    }
}
