/// How a backoff delay is randomised so that many clients retrying together spread out.
///
/// The formulas are those of Marc Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog,
/// 2015, where `base` is the capped backoff delay, `initial` the backoff's first delay and `cap` its
/// maximum:
/// - ``none``: `base`;
/// - ``full``: `random(0, base)` — the fewest total calls under contention, Brooker's recommendation;
/// - ``equal``: `base / 2 + random(0, base / 2)` — never less than half the backoff;
/// - ``decorrelated``: `min(cap, random(initial, previous · 3))`, where `previous` is the delay used
///   before the previous retry (`initial` for the first) — grows from the last actual delay rather
///   than from the retry number.
public struct Jitter: Sendable, Hashable, CustomStringConvertible {
    private enum Kind: String, Sendable, Hashable {
        case none
        case full
        case equal
        case decorrelated
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    /// No randomisation.
    public static let none = Jitter(.none)
    /// A uniform delay between zero and the backoff.
    public static let full = Jitter(.full)
    /// Half the backoff plus a uniform delay up to the other half.
    public static let equal = Jitter(.equal)
    /// A uniform delay between the initial delay and three times the previous delay, capped.
    public static let decorrelated = Jitter(.decorrelated)

    /// The name: `none`, `full`, `equal` or `decorrelated`.
    public var description: String { kind.rawValue }

    /// Randomises one delay.
    /// - Parameters:
    ///   - base: The capped backoff delay.
    ///   - previous: The previous actual delay (for decorrelated jitter).
    ///   - floor: The backoff's initial delay (for decorrelated jitter).
    ///   - cap: The backoff's maximum delay.
    ///   - generator: The source of randomness.
    /// - Returns: The delay to wait, between zero and `cap`.
    public func apply(
        to base: Duration,
        previous: Duration,
        floor: Duration,
        cap: Duration,
        using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let baseNanos = max(0, min(base, cap).clampedNanoseconds)
        switch kind {
        case .none:
            return .nanoseconds(baseNanos)
        case .full:
            return .nanoseconds(Int64.random(in: 0...baseNanos, using: &generator))
        case .equal:
            let half = baseNanos / 2
            return .nanoseconds(half + Int64.random(in: 0...(baseNanos - half), using: &generator))
        case .decorrelated:
            let capNanos = max(0, cap.clampedNanoseconds)
            let low = min(max(0, floor.clampedNanoseconds), capNanos)
            let (tripled, overflow) = max(0, previous.clampedNanoseconds).multipliedReportingOverflow(by: 3)
            let high = max(low, min(overflow ? .max : tripled, capNanos))
            return .nanoseconds(Int64.random(in: low...high, using: &generator))
        }
    }
}
