import Synchronization

/// The kill switches of one named pipeline: which of its policies are switched off right now.
///
/// A ``PolicyPipeline`` checks a policy's switch with one relaxed atomic load before running the policy; a
/// switched-off policy passes the call straight through (see ``PolicyKind`` for what "off" means for each).
/// A pipeline that nobody switches has every policy on. Fleet-wide switches come from `PolicySwitchboard` in
/// `SharedState`, which hands out one ``PolicySwitches`` per pipeline name and keeps it in step with Redis.
///
/// ```swift
/// let switches = PolicySwitches()
/// let pipeline = PolicyPipeline(name: "payments", retry: retry, switches: switches)
/// switches.switchOff([.retry])  // calls now make one attempt
/// ```
public final class PolicySwitches: Sendable {
    private let bits: Atomic<UInt8>

    /// Creates switches with the policies in `off` switched off and every other one on.
    /// - Parameter off: The policies switched off at first.
    public init(off: some Sequence<PolicyKind> = [PolicyKind]()) {
        bits = Atomic(PolicyKind.mask(of: off))
    }

    /// Whether `kind` runs: one relaxed atomic load, no lock, no allocation.
    /// - Parameter kind: The policy.
    /// - Returns: `false` when it is switched off.
    @inlinable @inline(__always)
    public func isOn(_ kind: PolicyKind) -> Bool {
        offMask & kind.bit == 0
    }

    /// The switched-off policies as a mask of ``PolicyKind/bit``s: one relaxed atomic load.
    public var offMask: UInt8 { bits.load(ordering: .relaxed) }

    /// The switched-off policies, in their declared order.
    public var off: [PolicyKind] { PolicyKind.kinds(in: offMask) }

    /// Switches `kinds` off.
    /// - Parameter kinds: The policies.
    public func switchOff(_ kinds: some Sequence<PolicyKind>) {
        bits.bitwiseOr(PolicyKind.mask(of: kinds), ordering: .relaxed)
    }

    /// Switches `kinds` back on.
    /// - Parameter kinds: The policies.
    public func switchOn(_ kinds: some Sequence<PolicyKind>) {
        bits.bitwiseAnd(~PolicyKind.mask(of: kinds), ordering: .relaxed)
    }

    /// Replaces every switch at once: the kinds whose bits are set in `mask` off, the others on.
    /// - Parameter mask: A mask of ``PolicyKind/bit``s.
    /// - Returns: The mask before.
    @discardableResult
    public func replace(offMask mask: UInt8) -> UInt8 {
        bits.exchange(mask & PolicyKind.allMask, ordering: .relaxed)
    }
}

extension PolicyKind {
    /// Every kind's bit.
    public static let allMask = mask(of: allCases)
}
