import Synchronization

/// A limit on hedges across calls, so that hedging cannot multiply the load on a dependency in trouble.
///
/// A token bucket filled by primary calls: every call adds ``ratio`` of a token, up to ``capacity`` tokens, and
/// every hedge takes one whole token, or is not launched. Over any stretch of time hedges are therefore at most
/// `ratio × calls + capacity`: with the defaults (10 %, 10 tokens) a slow or failing dependency gets at most a
/// tenth more calls than it would without hedging, plus a burst of ten. The bucket starts full. Share one
/// budget between the policies that call the same dependency.
public final class HedgingBudget: Sendable {
    /// The fraction of a token each primary call adds: the most extra load hedging may add, over time.
    public let ratio: Double
    /// The most tokens the bucket holds: the largest burst of hedges.
    public let capacity: Int

    /// A token, in the units the bucket counts (millionths), so that deposits add up exactly.
    private static let token = 1_000_000
    private let deposit: Int
    private let limit: Int
    private let tokens: Atomic<Int>

    /// Creates a budget; ``HedgingConfiguration/validate()`` checks its values.
    /// - Parameters:
    ///   - ratio: The fraction of calls that may be hedged, from 0 to 1; 0.1 by default.
    ///   - capacity: The largest burst of hedges, from 1 to 10,000; 10 by default.
    public init(ratio: Double = 0.1, capacity: Int = 10) {
        self.ratio = ratio
        self.capacity = capacity
        let clampedRatio = ratio.isFinite ? min(max(ratio, 0), 1) : 0
        deposit = Int((clampedRatio * Double(Self.token)).rounded())
        limit = min(max(capacity, 0), 10_000) * Self.token
        tokens = Atomic(limit)
    }

    /// The tokens in the bucket now, in hedges.
    public var available: Double {
        Double(tokens.load(ordering: .relaxed)) / Double(Self.token)
    }

    /// Counts one primary call: adds ``ratio`` of a token, up to ``capacity``.
    public func recordCall() {
        var current = tokens.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = tokens.compareExchange(
                expected: current,
                desired: min(limit, current + deposit),
                ordering: .relaxed
            )
            if exchanged { return }
            current = original
        }
    }

    /// Takes one token for a hedge if the bucket holds one.
    /// - Returns: Whether the hedge may be launched.
    public func tryWithdraw() -> Bool {
        var current = tokens.load(ordering: .relaxed)
        while current >= Self.token {
            let (exchanged, original) = tokens.compareExchange(expected: current, desired: current - Self.token, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Checks the values.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/badRequest`` naming the value at fault.
    func validate() throws(ResilienceError) {
        guard ratio.isFinite, (0...1).contains(ratio) else {
            throw ResilienceError(.badRequest, message: "the hedging budget's ratio must be from 0 to 1, got \(ratio)")
        }
        guard (1...10_000).contains(capacity) else {
            throw ResilienceError(.badRequest, message: "the hedging budget's capacity must be from 1 to 10000, got \(capacity)")
        }
    }
}
