/// The external authority that decides a circuit breaker's transitions (the shared Redis breaker).
///
/// With no authority attached a ``CircuitBreaker`` decides everything locally. Once one is attached
/// with ``CircuitBreaker/attach(authority:proposalRetryInterval:awaitingFirstMerge:)``:
/// - the closed-state decision still reads only the local atomic state word;
/// - outcomes are still counted locally; the authority drains them in batches with
///   ``CircuitBreaker/drainOutcomes()`` and is signalled by ``outcomesNeedFlush(for:)`` when a
///   failure arrives, so that it flushes at once when a threshold may be crossed;
/// - every transition the local machine would make becomes a ``CircuitBreakerProposal`` handed to
///   ``propose(_:for:)``; the breaker keeps its state until the authority answers with
///   ``CircuitBreaker/apply(_:)``, which ignores stale generations;
/// - probe permits in half-open are asked of ``acquireProbePermit(for:generation:)``, so that the
///   authority can limit probes cluster-wide;
/// - when the authority is unreachable, ``CircuitBreaker/authorityDidBecomeUnavailable()`` makes the
///   breaker decide locally with the same configuration, and ``CircuitBreaker/merge(_:)`` brings the
///   two views together when it is back (see there for the rules).
///
/// Every method is called outside the breaker's lock and must not block: signal a task of your own
/// and return. Calling back into the breaker from these methods is allowed.
public protocol CircuitBreakerAuthority: AnyObject, Sendable {
    /// The local machine proposes a transition. Decide it (atomically, cluster-wide) and answer later with
    /// ``CircuitBreaker/apply(_:)``. A proposal that is not answered is made again after the breaker's
    /// proposal retry interval while its cause persists.
    /// - Parameters:
    ///   - proposal: The transition the local machine would make.
    ///   - breaker: The breaker that proposes it.
    func propose(_ proposal: CircuitBreakerProposal, for breaker: CircuitBreaker)

    /// A failure was recorded since the last drain: outcomes should be flushed now rather than at the next batch.
    ///
    /// Called at most once between two ``CircuitBreaker/drainOutcomes()`` calls, so a failure storm
    /// flushes as fast as the authority drains and no faster.
    /// - Parameter breaker: The breaker whose outcomes should be drained.
    func outcomesNeedFlush(for breaker: CircuitBreaker)

    /// Asks for a permit to run one probe call in half-open.
    ///
    /// Answer from what is known now (for example an allotment of permits claimed cluster-wide);
    /// ``CircuitBreakerProbeDecision/decideLocally`` lets the breaker apply its own limit.
    /// - Parameters:
    ///   - breaker: The breaker asking.
    ///   - generation: The breaker's generation (the half-open state the permit is for).
    /// - Returns: Whether the probe may run.
    func acquireProbePermit(for breaker: CircuitBreaker, generation: UInt64) -> CircuitBreakerProbeDecision

    /// A probe permit granted by the authority was given back without an outcome (the call was cancelled).
    /// - Parameters:
    ///   - breaker: The breaker returning it.
    ///   - generation: The generation it was granted for.
    func releaseProbePermit(for breaker: CircuitBreaker, generation: UInt64)

    /// A call guarded by ``CircuitBreaker/execute(_:)`` failed: return once its failure has been reported
    /// and the answer applied, so that the caller's next call sees a trip the failure caused.
    ///
    /// The failing call waits for this before its error is rethrown: reporting a failure may cost a round
    /// trip, a success never does. This bounds the calls an instance lets through after a shared threshold
    /// was reached to about one per concurrent caller. Return at once when the authority is unreachable.
    /// The default implementation returns at once.
    /// - Parameter breaker: The breaker whose call failed.
    func reportFailure(for breaker: CircuitBreaker) async

    /// A call through ``CircuitBreaker/execute(_:)`` is about to be decided before the authority's first state
    /// reached a breaker attached with `awaitingFirstMerge`: return once ``CircuitBreaker/merge(_:)`` ran, or
    /// when waiting longer is not worth it (bounded). The default implementation returns at once.
    /// - Parameter breaker: The breaker waiting.
    func awaitFirstState(for breaker: CircuitBreaker) async
}

extension CircuitBreakerAuthority {
    /// Does not wait: failures are reported with the next batch.
    public func reportFailure(for breaker: CircuitBreaker) async {}

    /// Does not wait: the breaker decides locally until it is merged.
    public func awaitFirstState(for breaker: CircuitBreaker) async {}
}
