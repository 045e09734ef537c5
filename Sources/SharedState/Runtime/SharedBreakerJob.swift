import Resilience

/// Work for the registry's Redis worker, queued by authorities and timers without blocking.
enum SharedBreakerJob: Sendable {
    /// Drain a breaker's outcome counts and report them.
    case flush(String)
    /// Let Redis decide a transition the local machine proposes.
    case propose(String, CircuitBreakerProposal)
    /// Claim one of the fleet's half-open probe permits for a generation.
    case claimProbe(String, generation: UInt64)
    /// Read Redis's state of a breaker and merge it into the local view.
    case synchronize(String)

    /// The breaker the job is for.
    var breakerName: String {
        switch self {
        case .flush(let name), .propose(let name, _), .claimProbe(let name, _), .synchronize(let name): name
        }
    }

    /// The kind, for coalescing: one waiting job of each kind per breaker.
    var kind: Int {
        switch self {
        case .flush: 0
        case .propose: 1
        case .claimProbe: 2
        case .synchronize: 3
        }
    }
}
