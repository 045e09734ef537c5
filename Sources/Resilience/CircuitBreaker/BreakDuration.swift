/// How long a circuit breaker stays open after it trips: fixed, or growing with each re-trip.
///
/// The count given to a generator is the number of times the breaker has opened since it was last
/// closed by successful probes (1 for the first trip, 2 when the first probes failed, …).
public struct BreakDuration: Sendable {
    private let generator: @Sendable (Int) -> Duration

    private init(_ generator: @escaping @Sendable (Int) -> Duration) {
        self.generator = generator
    }

    /// The same break every time.
    /// - Parameter duration: The break.
    public static func fixed(_ duration: Duration) -> BreakDuration {
        BreakDuration { _ in duration }
    }

    /// A break that grows by `multiplier` each time the probes fail, up to `maximum`.
    /// - Parameters:
    ///   - initial: The first break.
    ///   - multiplier: The growth per re-trip.
    ///   - maximum: The cap.
    public static func growing(initial: Duration, multiplier: Double = 2, maximum: Duration) -> BreakDuration {
        BreakDuration { opens in
            var seconds = initial.secondsDouble
            for _ in 1..<max(1, min(opens, 64)) { seconds *= multiplier }
            return min(Duration.clampedSeconds(seconds), maximum)
        }
    }

    /// A break computed by `generator` from the number of consecutive opens (from 1).
    /// - Parameter generator: The function.
    public static func custom(_ generator: @escaping @Sendable (Int) -> Duration) -> BreakDuration {
        BreakDuration(generator)
    }

    /// The break for the `opens`-th consecutive open.
    /// - Parameter opens: The number of opens since the last close, from 1.
    /// - Returns: The break, never negative.
    public func duration(forOpen opens: Int) -> Duration {
        max(.zero, generator(max(1, opens)))
    }
}
