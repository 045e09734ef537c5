import Logging
import Resilience
import Synchronization

/// The ``CircuitBreakerAuthority`` of one local breaker: turns its proposals, flush signals and probe
/// requests into jobs for the registry's Redis worker, and keeps the probe permits this instance holds.
///
/// Every method returns at once, as the seam requires, except the two bounded waits (a failing call's
/// report, and a new breaker's first state): the work happens on the worker.
final class SharedBreakerAuthority: CircuitBreakerAuthority {
    /// What the authorities of one registry share with it.
    struct Context: Sendable {
        let jobs: SharedBreakerJobQueue
        let fallback: FallbackFlag
        /// Whether the registry's worker runs: without it nobody would answer a wait.
        let workerRunning: FallbackFlag
        /// Set once it was logged that the registry does not run.
        let notRunningLogged: FallbackFlag
        let logger: Logger
        let firstStateWait: Duration
        let failureReportWait: Duration
        let options: SharedBreakerOptions
    }

    let name: BreakerName
    let rules: SharedBreakerRules
    /// When this breaker's outcomes are worth a write to Redis.
    let flushPolicy: SharedBreakerFlushPolicy
    private let context: Context
    private let probes = Mutex(ProbeAllotment())
    /// Failing calls waiting for their failure to be reported.
    private let failureWaiters = Mutex(FailureReportWaiters())
    /// Calls waiting for the breaker's first state; `nil` once it arrived.
    private let firstStateWaiters = Mutex<[BoundedWait]?>([])
    /// Updates from Redis applied so far (published or answered), so that a read overtaken by a newer
    /// update is recognised as stale.
    private let updatesApplied = Atomic<UInt64>(0)
    /// Held while an update from Redis is applied (see ``applyUpdate(generation:_:)``).
    private let applying = Mutex<Void>(())
    /// The highest generation Redis has shown for this breaker: when Redis later shows none (or a lower one: Redis
    /// answers from one atomic step, so its generations never go back unless it lost the state), it lost the state.
    private let redisGeneration = Atomic<UInt64>(0)

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

    init(name: BreakerName, rules: SharedBreakerRules, context: Context, now: Int64) {
        self.name = name
        self.rules = rules
        self.context = context
        flushPolicy = SharedBreakerFlushPolicy(options: context.options, rules: rules, now: now)
    }

    func reportFailure(for breaker: CircuitBreaker) async {
        // A failure the fleet's decision cannot turn on yet waits for a later flush, and its call does not wait.
        guard context.workerRunning.isOn, !context.fallback.isOn else { return }
        let wait = BoundedWait()
        // Decided in one step with a flush's drain (``startFlush(_:)``): a flush that already drained this
        // failure answers it too.
        let registration = failureWaiters.withLock { waiters -> (waits: Bool, first: Bool) in
            if flushPolicy.failureIsUrgent(breaker) {
                waiters.next.append(wait)
                return (true, waiters.next.count == 1)
            }
            guard waiters.drained != nil else { return (false, false) }
            waiters.drained?.append(wait)
            return (true, false)
        }
        guard registration.waits else { return }
        // One flush answers every failure that waits when it starts; a later one queues the next flush.
        if registration.first { context.jobs.enqueue(.flush(name.value)) }
        await wait.wait(atMost: context.failureReportWait)
    }

    func awaitFirstState(for breaker: CircuitBreaker) async {
        // The registry may be about to run (its task not scheduled yet): wait in any case, bounded.
        guard !context.fallback.isOn else { return }
        let wait = BoundedWait()
        let registered = firstStateWaiters.withLock { waiters -> Bool in
            guard waiters != nil else { return false }
            waiters?.append(wait)
            return true
        }
        guard registered else { return }
        await wait.wait(atMost: context.firstStateWait)
        if !context.workerRunning.isOn, context.notRunningLogged.set(true) {
            context.logger.warning(
                "SharedBreakerRegistry is not running: its breakers decide locally until run() reads their shared state",
                metadata: ["breaker.name": "\(name.value)"]
            )
        }
    }

    /// The breaker's first state was merged (or will not come soon): lets every waiting call go on.
    func firstStateArrived() {
        let waiters = firstStateWaiters.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        for waiter in waiters { waiter.resume() }
    }

    /// A flush starts: takes the failing calls it answers and drains the outcomes it carries, in one step with
    /// ``reportFailure(for:)``'s decision to wait, so that no failing call misses the flush that carries its
    /// failure. Pass the result to ``finishFlush(_:)`` once the answer is applied (or the flush gave up).
    func startFlush(_ breaker: CircuitBreaker) -> SharedBreakerFlush {
        failureWaiters.withLock { waiters in
            let (counts, age) = flushPolicy.drainForFlush(breaker)
            let carriesFailures = counts.failures > 0 && waiters.drained == nil
            if carriesFailures { waiters.drained = [] }
            defer { waiters.next = [] }
            return SharedBreakerFlush(counts: counts, newestSuccessAge: age, waiters: waiters.next, answersDrained: carriesFailures)
        }
    }

    /// A flush is over: lets the failing calls it carried go on.
    func finishFlush(_ flush: SharedBreakerFlush) {
        var answered = flush.waiters
        if flush.answersDrained {
            answered += failureWaiters.withLock { waiters -> [BoundedWait] in
                defer { waiters.drained = nil }
                return waiters.drained ?? []
            }
        }
        for waiter in answered { waiter.resume() }
    }

    /// Lets every waiting failing call go on (the worker stops, or Redis is gone).
    func releaseFailureWaiters() {
        for waiter in failureWaiters.withLock({ $0.takeAll() }) { waiter.resume() }
    }

    func propose(_ proposal: CircuitBreakerProposal, for breaker: CircuitBreaker) {
        context.jobs.enqueue(.propose(name.value, proposal))
    }

    func outcomesNeedFlush(for breaker: CircuitBreaker) {
        // Held-back failures are flushed by the timer once they exceed the allowance or wait too long.
        if flushPolicy.failureIsUrgent(breaker) { context.jobs.enqueue(.flush(name.value)) }
    }

    func acquireProbePermit(for breaker: CircuitBreaker, generation: UInt64) -> CircuitBreakerProbeDecision {
        if context.fallback.isOn { return .decideLocally }
        let (granted, claim) = probes.withLock { probes -> (Bool, Bool) in
            if let held = probes.held[generation], held > 0 {
                probes.held[generation] = held - 1
                return (true, false)
            }
            guard probes.claiming != generation, probes.exhausted != generation else { return (false, false) }
            probes.claiming = generation
            return (false, true)
        }
        if claim { context.jobs.enqueue(.claimProbe(name.value, generation: generation)) }
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

    /// Applies an update from Redis to the breaker (`body`), counts it and remembers its generation.
    ///
    /// Updates are applied one at a time: a published transition and the merge of a read never interleave, so
    /// that ``mergeUnlessOvertaken(read:since:_:)`` can tell whether a newer update came in while it read.
    func applyUpdate(generation: UInt64, _ body: () -> Void) {
        applying.withLock { _ in
            updatesApplied.add(1, ordering: .relaxed)
            redisGeneration.max(generation, ordering: .relaxed)
            flushPolicy.revoke()
            body()
        }
    }

    /// Merges a state read from Redis (`merge`) unless an update applied since `appliedBefore` (the count taken
    /// before the read) made it stale: a read answered before a transition was published, merged after the
    /// transition was applied, would put the breaker back into the state before it. A read that was not
    /// overtaken and still shows a generation below the highest Redis showed means Redis lost the breaker and
    /// decided again since (with a clock behind its old one): `wentBack` is called, and the lower generation is
    /// the one to compare with from then on.
    /// - Returns: Whether it merged; when not, read again.
    func mergeUnlessOvertaken(
        read generation: UInt64,
        since appliedBefore: UInt64,
        breakerGeneration: () -> UInt64,
        wentBack: (_ known: UInt64) -> Void,
        _ merge: () -> Void
    ) -> Bool {
        applying.withLock { _ in
            if updatesApplied.load(ordering: .relaxed) != appliedBefore, generation < breakerGeneration() { return false }
            let known = redisGeneration.load(ordering: .relaxed)
            if generation < known {
                wentBack(known)
                redisGeneration.store(generation, ordering: .relaxed)
            }
            updatesApplied.add(1, ordering: .relaxed)
            redisGeneration.max(generation, ordering: .relaxed)
            flushPolicy.revoke()
            merge()
            return true
        }
    }

    /// The highest generation Redis has shown for this breaker (local transitions on the fallback do not count).
    var knownRedisGeneration: UInt64 {
        redisGeneration.load(ordering: .relaxed)
    }

    /// How many updates from Redis were applied so far.
    var appliedUpdateCount: UInt64 {
        updatesApplied.load(ordering: .relaxed)
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
