import Resilience
import Synchronization

/// The ``CircuitBreakerAuthority`` of one local breaker: turns its proposals, flush signals and probe
/// requests into jobs for the registry's Redis worker, and keeps the probe permits this instance holds.
///
/// Every method returns at once, as the seam requires: the work happens on the worker.
final class SharedBreakerAuthority: CircuitBreakerAuthority {
    let name: BreakerName
    let rules: SharedBreakerRules
    private let jobs: AsyncStream<SharedBreakerJob>.Continuation
    private let fallback: FallbackFlag
    private let probes = Mutex(ProbeAllotment())
    /// Failing calls waiting for their failure to be reported.
    private let failureWaiters = Mutex<[CheckedContinuation<Void, Never>]>([])
    /// Whether the registry's worker runs: without it nobody would answer a waiting failure.
    private let workerRunning: FallbackFlag

    private struct ProbeAllotment {
        /// Permits held for each half-open generation.
        var held: [UInt64: Int] = [:]
        /// The generation a claim is in flight for, so that a burst of calls makes one claim.
        var claiming: UInt64?
        /// A generation for which Redis had no permit left: no more claims for it.
        var exhausted: UInt64?
        /// Opens in a row, as Redis last said, for growing breaks.
        var opens = 0
    }

    init(
        name: BreakerName,
        rules: SharedBreakerRules,
        jobs: AsyncStream<SharedBreakerJob>.Continuation,
        fallback: FallbackFlag,
        workerRunning: FallbackFlag
    ) {
        self.name = name
        self.rules = rules
        self.jobs = jobs
        self.fallback = fallback
        self.workerRunning = workerRunning
    }

    func reportFailure(for breaker: CircuitBreaker) async {
        guard workerRunning.isOn, !fallback.isOn else { return }
        await withCheckedContinuation { continuation in
            let first = failureWaiters.withLock { waiters in
                waiters.append(continuation)
                return waiters.count == 1
            }
            // One flush answers every failure that waits when it starts; a later one queues the next flush.
            if first { jobs.yield(.flush(name.value)) }
        }
    }

    /// Takes the failing calls waiting now; resume them with ``resumeFailureWaiters(_:)`` once the flush is applied.
    func takeFailureWaiters() -> [CheckedContinuation<Void, Never>] {
        failureWaiters.withLock { waiters in
            defer { waiters = [] }
            return waiters
        }
    }

    /// Lets waiting failing calls go on.
    func resumeFailureWaiters(_ waiters: [CheckedContinuation<Void, Never>]) {
        for waiter in waiters { waiter.resume() }
    }

    func propose(_ proposal: CircuitBreakerProposal, for breaker: CircuitBreaker) {
        jobs.yield(.propose(name.value, proposal))
    }

    func outcomesNeedFlush(for breaker: CircuitBreaker) {
        jobs.yield(.flush(name.value))
    }

    func acquireProbePermit(for breaker: CircuitBreaker, generation: UInt64) -> CircuitBreakerProbeDecision {
        if fallback.isOn { return .decideLocally }
        let (granted, claim) = probes.withLock { probes -> (Bool, Bool) in
            if let held = probes.held[generation], held > 0 {
                probes.held[generation] = held - 1
                return (true, false)
            }
            guard probes.claiming != generation, probes.exhausted != generation else { return (false, false) }
            probes.claiming = generation
            return (false, true)
        }
        if claim { jobs.yield(.claimProbe(name.value, generation: generation)) }
        return granted ? .granted : .denied
    }

    func releaseProbePermit(for breaker: CircuitBreaker, generation: UInt64) {
        probes.withLock { $0.held[generation, default: 0] += 1 }
    }

    /// Records the answer to a claim.
    func claimFinished(generation: UInt64, claimed: Bool) {
        probes.withLock { probes in
            if probes.claiming == generation { probes.claiming = nil }
            if claimed {
                probes.held[generation, default: 0] += 1
            } else {
                probes.exhausted = generation
            }
            // Permits of generations that are over are worthless.
            probes.held = probes.held.filter { $0.key >= generation }
        }
    }

    /// Opens in a row as Redis last reported them.
    var opensSoFar: Int {
        get { probes.withLock { $0.opens } }
        set { probes.withLock { $0.opens = newValue } }
    }
}

/// Whether the registry runs on the local fallback; read on hot paths, so an atomic.
final class FallbackFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isOn: Bool { value.load(ordering: .relaxed) }

    /// Sets the flag and returns whether it changed.
    func set(_ on: Bool) -> Bool {
        value.exchange(on, ordering: .relaxed) != on
    }
}
