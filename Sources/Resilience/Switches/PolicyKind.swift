/// A kind of policy a pipeline runs, as a kill switch names it.
///
/// The names are the ones the admin API, the CLI and the configuration use: `retry`, `timeout`, `bulkhead`,
/// `rate-limiter`, `hedging`, `breaker`.
public enum PolicyKind: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// The retry: switched off, a call makes one attempt.
    case retry
    /// The total and the attempt timeouts: switched off, a call has no deadline from the pipeline.
    case timeout
    /// The bulkhead and the adaptive concurrency limiter: switched off, every call is admitted.
    case bulkhead
    /// The rate limiter: switched off, every call is admitted.
    case rateLimiter = "rate-limiter"
    /// The hedging: switched off, only the primary attempt runs.
    case hedging
    /// The circuit breaker: switched off, every call passes and its outcome is not recorded.
    case breaker

    /// The kind's bit in a ``PolicySwitches`` mask.
    @inlinable
    public var bit: UInt8 {
        switch self {
        case .retry: 1
        case .timeout: 2
        case .bulkhead: 4
        case .rateLimiter: 8
        case .hedging: 16
        case .breaker: 32
        }
    }

    /// The kinds whose bits are set in `mask`, in their declared order.
    /// - Parameter mask: A mask of ``bit``s.
    /// - Returns: The kinds.
    public static func kinds(in mask: UInt8) -> [PolicyKind] {
        allCases.filter { mask & $0.bit != 0 }
    }

    /// The mask with the bits of `kinds` set.
    /// - Parameter kinds: The kinds.
    /// - Returns: The mask.
    public static func mask(of kinds: some Sequence<PolicyKind>) -> UInt8 {
        kinds.reduce(0) { $0 | $1.bit }
    }

    /// The kind's name.
    public var description: String { rawValue }

    /// Orders kinds as they are declared.
    public static func < (lhs: PolicyKind, rhs: PolicyKind) -> Bool {
        lhs.bit < rhs.bit
    }
}
