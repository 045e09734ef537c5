import Synchronization

/// The words read by every call, on a cache line of their own.
///
/// The leading padding keeps the object header (whose reference count is written on retain and
/// release) off the line the atomics live on; the trailing padding keeps the next allocation off it.
/// The atomics are written only under the breaker's lock, on failures and transitions.
final class BreakerHotState: Sendable {
    private let leadingPadding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    /// `generation << 3 | state.rawValue`.
    let word: Atomic<UInt64>
    /// The end of the current break, in clock nanoseconds.
    let openUntil: Atomic<Int64>
    /// Failures in a row; a success writes only when it is not zero.
    let failureStreak: Atomic<Int>
    /// Set from an attach that waits for the authority's first state until the first merge: calls through
    /// `execute` then wait (bounded) for that state before their first decision.
    let joining: Atomic<Bool>
    private let trailingPadding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    init() {
        word = Atomic(0)
        openUntil = Atomic(0)
        failureStreak = Atomic(0)
        joining = Atomic(false)
    }

    static func pack(_ state: CircuitBreakerState, _ generation: UInt64) -> UInt64 {
        generation << 3 | UInt64(state.rawValue)
    }

    static func state(of word: UInt64) -> CircuitBreakerState {
        CircuitBreakerState(rawValue: UInt8(truncatingIfNeeded: word & 7)) ?? .closed
    }
}
