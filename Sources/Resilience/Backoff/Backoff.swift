/// How long to wait before each retry: a growth strategy, a cap and a jitter.
///
/// The delay before retry `n` (the first retry is `n == 1`) grows from `initial` as
/// - constant: `initial`;
/// - linear: `initial + (n - 1) · increment`;
/// - exponential: `initial · multiplierⁿ⁻¹`;
/// - fibonacci: `initial · F(n)` with F = 1, 1, 2, 3, 5, 8, …;
///
/// is capped at `maxDelay`, and then spread by ``Jitter``. Arithmetic saturates, so a large `n`
/// yields the cap rather than overflowing.
///
/// ```swift
/// let backoff = Backoff.exponential(initial: .milliseconds(100), maxDelay: .seconds(10), jitter: .full)
/// ```
public struct Backoff: Sendable, Hashable {
    private enum Growth: Sendable, Hashable {
        case constant
        case linear(increment: Duration)
        case exponential(multiplier: Double)
        case fibonacci
    }

    private var growth: Growth
    /// The delay before the first retry (and the floor of decorrelated jitter).
    public var initial: Duration
    /// The largest delay ever returned, before and after jitter.
    public var maxDelay: Duration
    /// How the delay is randomised.
    public var jitter: Jitter

    private init(growth: Growth, initial: Duration, maxDelay: Duration, jitter: Jitter) {
        precondition(initial >= .zero, "Backoff.initial must not be negative")
        precondition(maxDelay >= .zero, "Backoff.maxDelay must not be negative")
        self.growth = growth
        self.initial = initial
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// The same delay before every retry.
    /// - Parameters:
    ///   - delay: The delay.
    ///   - jitter: How the delay is randomised; none by default.
    public static func constant(_ delay: Duration, jitter: Jitter = .none) -> Backoff {
        Backoff(growth: .constant, initial: delay, maxDelay: delay, jitter: jitter)
    }

    /// A delay that grows by `increment` with each retry.
    /// - Parameters:
    ///   - initial: The first delay.
    ///   - increment: Added for each further retry; `initial` when `nil`.
    ///   - maxDelay: The cap.
    ///   - jitter: How the delay is randomised.
    public static func linear(
        initial: Duration,
        increment: Duration? = nil,
        maxDelay: Duration = .seconds(30),
        jitter: Jitter = .none
    ) -> Backoff {
        Backoff(growth: .linear(increment: increment ?? initial), initial: initial, maxDelay: maxDelay, jitter: jitter)
    }

    /// A delay that is multiplied by `multiplier` with each retry.
    /// - Parameters:
    ///   - initial: The first delay.
    ///   - multiplier: The growth factor, at least 1.
    ///   - maxDelay: The cap.
    ///   - jitter: How the delay is randomised; full jitter by default (the AWS recommendation).
    public static func exponential(
        initial: Duration,
        multiplier: Double = 2,
        maxDelay: Duration = .seconds(30),
        jitter: Jitter = .full
    ) -> Backoff {
        precondition(multiplier >= 1, "Backoff multiplier must be at least 1")
        return Backoff(growth: .exponential(multiplier: multiplier), initial: initial, maxDelay: maxDelay, jitter: jitter)
    }

    /// A delay that grows along the Fibonacci sequence: `initial` · 1, 1, 2, 3, 5, 8, …
    /// - Parameters:
    ///   - initial: The first delay.
    ///   - maxDelay: The cap.
    ///   - jitter: How the delay is randomised.
    public static func fibonacci(initial: Duration, maxDelay: Duration = .seconds(30), jitter: Jitter = .none) -> Backoff {
        Backoff(growth: .fibonacci, initial: initial, maxDelay: maxDelay, jitter: jitter)
    }

    /// The capped delay before retry `retry`, without jitter.
    /// - Parameter retry: The retry number, from 1.
    /// - Returns: A delay between zero and ``maxDelay``.
    public func baseDelay(forRetry retry: Int) -> Duration {
        let n = max(retry, 1)
        let initialSeconds = initial.secondsDouble
        let seconds: Double
        switch growth {
        case .constant:
            seconds = initialSeconds
        case .linear(let increment):
            seconds = initialSeconds + Double(n - 1) * increment.secondsDouble
        case .exponential(let multiplier):
            seconds = initialSeconds * pow(multiplier, n - 1)
        case .fibonacci:
            var (a, b) = (1.0, 1.0)
            for _ in 1..<min(n, 200) { (a, b) = (b, a + b) }
            seconds = initialSeconds * a
        }
        return min(Duration.clampedSeconds(seconds), maxDelay)
    }

    /// The delay before retry `retry`, capped and jittered.
    /// - Parameters:
    ///   - retry: The retry number, from 1.
    ///   - previous: The delay used before the previous retry (decorrelated jitter grows from it); `nil` for the first.
    ///   - generator: The source of randomness.
    /// - Returns: A delay between zero and ``maxDelay``.
    public func delay(
        forRetry retry: Int,
        previous: Duration?,
        using generator: inout some RandomNumberGenerator
    ) -> Duration {
        jitter.apply(
            to: baseDelay(forRetry: retry),
            previous: previous ?? initial,
            floor: initial,
            cap: maxDelay,
            using: &generator
        )
    }

    private func pow(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(exponent, 2_000) {
            result *= base
            if result > 1e12 { return result }
        }
        return result
    }
}
