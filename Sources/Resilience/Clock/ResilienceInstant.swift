/// A point in time on a ``ResilienceClock``, in nanoseconds from the clock's own origin.
///
/// Instants of one clock compare and subtract; instants of different clocks mean nothing to each other.
/// The representation is a plain `Int64` so that policies can keep instants in atomics.
public struct ResilienceInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the clock's origin.
    public var nanoseconds: Int64

    /// Creates an instant from nanoseconds since the clock's origin.
    /// - Parameter nanoseconds: Nanoseconds since the clock's origin.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The instant `duration` after this one (before it, when `duration` is negative); saturates instead of overflowing.
    /// - Parameter duration: The distance to move.
    /// - Returns: The moved instant.
    public func advanced(by duration: Duration) -> ResilienceInstant {
        advanced(byNanoseconds: duration.clampedNanoseconds)
    }

    /// The instant `delta` nanoseconds after this one; saturates instead of overflowing.
    /// - Parameter delta: The distance to move, in nanoseconds.
    /// - Returns: The moved instant.
    @inlinable
    func advanced(byNanoseconds delta: Int64) -> ResilienceInstant {
        let (sum, overflow) = nanoseconds.addingReportingOverflow(delta)
        guard !overflow else { return ResilienceInstant(nanoseconds: delta > 0 ? .max : .min) }
        return ResilienceInstant(nanoseconds: sum)
    }

    /// The duration from this instant to `other` (negative when `other` is earlier).
    /// - Parameter other: The later instant.
    /// - Returns: `other - self`.
    public func duration(to other: ResilienceInstant) -> Duration {
        .nanoseconds(other.nanoseconds &- nanoseconds)
    }

    /// Orders instants from earlier to later.
    public static func < (lhs: ResilienceInstant, rhs: ResilienceInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// The instant `rhs` after `lhs`.
    public static func + (lhs: ResilienceInstant, rhs: Duration) -> ResilienceInstant {
        lhs.advanced(by: rhs)
    }

    /// The duration from `rhs` to `lhs`.
    public static func - (lhs: ResilienceInstant, rhs: ResilienceInstant) -> Duration {
        rhs.duration(to: lhs)
    }

    /// The instant in nanoseconds, for logs.
    public var description: String { "\(nanoseconds)ns" }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to the range of `Int64`.
    var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds > 0 ? .max : .min }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !overflow2 else { return seconds > 0 ? .max : .min }
        return sum
    }

    /// The duration in seconds as a `Double`.
    var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// A duration from seconds in a `Double`, clamped to what `Int64` nanoseconds hold.
    static func clampedSeconds(_ seconds: Double) -> Duration {
        guard seconds.isFinite else { return seconds > 0 ? .nanoseconds(Int64.max) : .zero }
        let nanos = seconds * 1e9
        if nanos >= 9.2e18 { return .nanoseconds(Int64.max) }
        if nanos <= -9.2e18 { return .nanoseconds(Int64.min) }
        return .nanoseconds(Int64(nanos))
    }
}
