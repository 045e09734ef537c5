/// How a circuit breaker decides to trip, how long it stays open and how it probes.
///
/// The defaults, chosen deliberately between Polly (ratio 0.1 over 30 s, at least 100 calls, 5 s
/// break) and resilience4j (50 % over the last 100 calls, 60 s open, 10 probes):
/// - a **time-based** window of 30 s in 10 buckets of 3 s: a count window of 100 calls spans hours
///   at low traffic and milliseconds at high traffic, while a time window always means "lately";
/// - a failure **ratio of 0.5**: Polly's 0.1 trips on the background error rate of many healthy
///   remote APIs; half the calls failing means the dependency is in trouble;
/// - a **minimum throughput of 20** calls in the window: 100 never trips a service that calls a
///   dependency less than about 3 times a second, while 20 still keeps one unlucky second from
///   tripping it;
/// - a **15 s break**: Polly's 5 s probes a struggling dependency 12 times a minute, resilience4j's
///   60 s keeps a recovered one cut off for a minute;
/// - **3 probes** and 3 successes to close: one probe (Polly) closes on a lucky call, ten
///   (resilience4j) is a lot of traffic to send to a dependency that just failed — and with a shared
///   breaker the probes are cluster-wide;
/// - a **30 s maximum wait in half-open**, so a hung probe reopens the breaker instead of holding it;
/// - slow calls off: what is slow depends on the dependency, so it is opt-in;
/// - failures are the transient kinds that say the dependency is unwell (timeout, connection,
///   rate-limited, server-error, unavailable) and `unknown`; client errors (bad-request, not-found,
///   authentication, permission, conflict) and local rejections count as successes — the dependency
///   answered — and cancellation is ignored.
public struct CircuitBreakerConfiguration: Sendable {
    /// What trips a closed breaker.
    public struct FailureThreshold: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            case consecutive(Int)
            case ratio(Double)
        }

        let kind: Kind

        /// Trips after `count` failures in a row.
        /// - Parameter count: The number of consecutive failures, at least 1.
        public static func consecutiveFailures(_ count: Int) -> FailureThreshold {
            FailureThreshold(kind: .consecutive(count))
        }

        /// Trips when the failure ratio in the window reaches `ratio`, once the window holds the minimum throughput.
        /// - Parameter ratio: A ratio in `0...1` (0.5 is half the calls).
        public static func failureRatio(_ ratio: Double) -> FailureThreshold {
            FailureThreshold(kind: .ratio(ratio))
        }
    }

    /// The sliding window over which ratios are measured.
    public struct Window: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            case count(Int)
            case time(Duration, buckets: Int)
        }

        let kind: Kind

        /// The last `calls` calls, tracked in 10 buckets (or one per call, for fewer than 10 calls).
        /// - Parameter calls: The window size, at least 1.
        public static func count(_ calls: Int) -> Window {
            Window(kind: .count(calls))
        }

        /// The last `duration`, tracked in `buckets` buckets (1 to 12) that expire one at a time.
        /// - Parameters:
        ///   - duration: The window length.
        ///   - buckets: The number of buckets.
        public static func time(_ duration: Duration, buckets: Int = 10) -> Window {
            Window(kind: .time(duration, buckets: buckets))
        }
    }

    /// Slow calls counted as failures at their own ratio.
    public struct SlowCalls: Sendable, Hashable {
        /// A call that takes at least this long is slow, whether it succeeds or fails.
        public var threshold: Duration
        /// The ratio of slow calls in the window that trips the breaker.
        public var ratio: Double

        /// Creates a slow-call rule.
        /// - Parameters:
        ///   - threshold: The duration from which a call is slow.
        ///   - ratio: The ratio of slow calls that trips; 1.0 (all of them) by default.
        public init(threshold: Duration, ratio: Double = 1.0) {
            self.threshold = threshold
            self.ratio = ratio
        }
    }

    /// What half-open allows.
    public struct HalfOpen: Sendable, Hashable {
        /// How many probe calls may run in half-open.
        public var permittedCalls: Int
        /// How many probes must succeed to close; at most `permittedCalls`.
        public var successThreshold: Int
        /// The longest half-open may last before the breaker reopens, so a hung probe cannot hold it.
        public var maximumWait: Duration

        /// Creates the half-open rule.
        /// - Parameters:
        ///   - permittedCalls: Probe calls allowed; 3 by default.
        ///   - successThreshold: Successes needed to close; 3 by default.
        ///   - maximumWait: Longest time in half-open; 30 s by default.
        public init(permittedCalls: Int = 3, successThreshold: Int = 3, maximumWait: Duration = .seconds(30)) {
            self.permittedCalls = permittedCalls
            self.successThreshold = successThreshold
            self.maximumWait = maximumWait
        }
    }

    /// What trips the breaker; a failure ratio of 0.5 by default.
    public var failureThreshold: FailureThreshold
    /// The window for ratios; the last 30 s in 10 buckets by default.
    public var window: Window
    /// The fewest calls in the window before a ratio may trip; 20 by default.
    public var minimumThroughput: Int
    /// The slow-call rule, off (`nil`) by default.
    public var slowCalls: SlowCalls?
    /// How long the breaker stays open; 15 s by default.
    public var breakDuration: BreakDuration
    /// The half-open rule.
    public var halfOpen: HalfOpen
    /// The failure kinds that count as failures, when ``isFailure`` is `nil`.
    public var failureKinds: Set<ResilienceError.Code>
    /// Decides whether an error is a failure, instead of ``failureKinds``; cancellation is ignored either way.
    public var isFailure: (@Sendable (any Error) -> Bool)?

    /// The kinds counted as failures by default: ``ResilienceError/Code-swift.struct/dependencyFailures``, the
    /// same set the retry tries again.
    public static let defaultFailureKinds: Set<ResilienceError.Code> = ResilienceError.Code.dependencyFailures

    /// Creates a configuration; every parameter has the default explained above.
    /// - Parameters:
    ///   - failureThreshold: What trips.
    ///   - window: The window for ratios.
    ///   - minimumThroughput: The fewest calls before a ratio may trip.
    ///   - slowCalls: The slow-call rule.
    ///   - breakDuration: How long to stay open.
    ///   - halfOpen: The probing rule.
    ///   - failureKinds: The kinds that count as failures.
    ///   - isFailure: A predicate that replaces `failureKinds`.
    public init(
        failureThreshold: FailureThreshold = .failureRatio(0.5),
        window: Window = .time(.seconds(30), buckets: 10),
        minimumThroughput: Int = 20,
        slowCalls: SlowCalls? = nil,
        breakDuration: BreakDuration = .fixed(.seconds(15)),
        halfOpen: HalfOpen = HalfOpen(),
        failureKinds: Set<ResilienceError.Code> = CircuitBreakerConfiguration.defaultFailureKinds,
        isFailure: (@Sendable (any Error) -> Bool)? = nil
    ) {
        self.failureThreshold = failureThreshold
        self.window = window
        self.minimumThroughput = minimumThroughput
        self.slowCalls = slowCalls
        self.breakDuration = breakDuration
        self.halfOpen = halfOpen
        self.failureKinds = failureKinds
        self.isFailure = isFailure
    }

    /// Checks the invariants.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/badRequest`` naming the field at fault.
    public func validate() throws(ResilienceError) {
        func fail(_ message: String) -> ResilienceError { ResilienceError(.badRequest, message: message) }
        switch failureThreshold.kind {
        case .consecutive(let count) where count < 1: throw fail("failureThreshold: consecutive failures must be at least 1")
        case .ratio(let ratio) where !(ratio > 0 && ratio <= 1): throw fail("failureThreshold: ratio must be in (0, 1]")
        default: break
        }
        switch window.kind {
        case .count(let calls) where calls < 1: throw fail("window: count must be at least 1")
        case .time(let duration, let buckets) where duration <= .zero || !(1...12).contains(buckets):
            throw fail("window: duration must be positive and buckets in 1...12")
        case .time(let duration, let buckets) where duration.clampedNanoseconds / Int64(buckets) < 1_000_000:
            throw fail("window: buckets must be at least 1 ms long")
        default: break
        }
        if minimumThroughput < 1 { throw fail("minimumThroughput must be at least 1") }
        if let slowCalls, slowCalls.threshold <= .zero || !(slowCalls.ratio > 0 && slowCalls.ratio <= 1) {
            throw fail("slowCalls: threshold must be positive and ratio in (0, 1]")
        }
        if halfOpen.permittedCalls < 1 { throw fail("halfOpen.permittedCalls must be at least 1") }
        if !(1...halfOpen.permittedCalls).contains(halfOpen.successThreshold) {
            throw fail("halfOpen.successThreshold must be in 1...permittedCalls")
        }
        if halfOpen.maximumWait <= .zero { throw fail("halfOpen.maximumWait must be positive") }
    }
}
