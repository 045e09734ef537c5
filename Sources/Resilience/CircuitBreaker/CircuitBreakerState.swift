/// The state of a circuit breaker.
///
/// `closed` lets calls through and counts outcomes; `open` rejects them until the break has
/// elapsed; `halfOpen` lets a limited number of probe calls through to test the dependency;
/// `isolated` (forced open) rejects everything until an operator closes it; `disabled` lets
/// everything through and never trips.
public enum CircuitBreakerState: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Calls pass; outcomes are counted.
    case closed = 0
    /// Calls are rejected until the break has elapsed.
    case open = 1
    /// A limited number of probe calls pass.
    case halfOpen = 2
    /// Forced open by an operator: calls are rejected until it is closed or reset.
    case isolated = 3
    /// Switched off by an operator: calls pass and never trip it.
    case disabled = 4

    /// The stable name used in logs, events and the metric dimension: `closed`, `open`, `half-open`, `isolated`, `disabled`.
    public var description: String {
        switch self {
        case .closed: "closed"
        case .open: "open"
        case .halfOpen: "half-open"
        case .isolated: "isolated"
        case .disabled: "disabled"
        }
    }

    /// How conservative the state is, for merging two views of one breaker: isolated (4) > open (3) >
    /// half-open (2) > closed (1) > disabled (0). The larger one wins a merge: open beats closed.
    public var conservativeness: Int {
        switch self {
        case .isolated: 4
        case .open: 3
        case .halfOpen: 2
        case .closed: 1
        case .disabled: 0
        }
    }

    /// Whether calls are rejected in this state without asking for a probe permit.
    public var rejectsCalls: Bool { self == .open || self == .isolated }
}
