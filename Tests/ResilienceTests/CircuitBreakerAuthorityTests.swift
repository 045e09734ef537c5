import Resilience
import Testing

/// An authority that records what the breaker tells it and answers probe requests as told.
final class RecordingAuthority: CircuitBreakerAuthority {
    let proposals = Locked<[CircuitBreakerProposal]>([])
    let flushSignals = Locked(0)
    let probeAnswer = Locked(CircuitBreakerProbeDecision.granted)
    let probeRequests = Locked<[UInt64]>([])
    let releases = Locked(0)
    let failureReports = Locked(0)

    func propose(_ proposal: CircuitBreakerProposal, for breaker: CircuitBreaker) {
        proposals.mutate { $0.append(proposal) }
    }

    func outcomesNeedFlush(for breaker: CircuitBreaker) {
        flushSignals.mutate { $0 += 1 }
    }

    func acquireProbePermit(for breaker: CircuitBreaker, generation: UInt64) -> CircuitBreakerProbeDecision {
        probeRequests.mutate { $0.append(generation) }
        return probeAnswer.value
    }

    func releaseProbePermit(for breaker: CircuitBreaker, generation: UInt64) {
        releases.mutate { $0 += 1 }
    }

    func reportFailure(for breaker: CircuitBreaker) async {
        failureReports.mutate { $0 += 1 }
    }
}

@Suite struct CircuitBreakerAuthorityTests {
    private let clock = ManualClock()
    private let authority = RecordingAuthority()
    private let events = Locked<[CircuitBreakerEvent]>([])

    private func attachedBreaker(threshold: Int = 3) throws -> CircuitBreaker {
        let events = self.events
        let breaker = try CircuitBreaker(
            name: "shared",
            configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(threshold), breakDuration: .fixed(.seconds(10))),
            clock: clock
        ) { event in events.mutate { $0.append(event) } }
        breaker.attach(authority: authority, proposalRetryInterval: .seconds(1))
        return breaker
    }

    private func fail(_ breaker: CircuitBreaker, times: Int = 1) {
        for _ in 0..<times { _ = try? breaker.executeSync { () throws -> Int in throw TestFailure(.timeout) } }
    }

    @Test func aTripBecomesAProposalAndTheStateWaitsForTheAuthority() throws {
        let breaker = try attachedBreaker()
        fail(breaker, times: 5)
        #expect(breaker.state == .closed)
        #expect(breaker.isDelegated)
        let proposals = authority.proposals.value
        #expect(proposals.count == 1)
        #expect(proposals.first?.from == .closed && proposals.first?.to == .open)
        #expect(proposals.first?.reason == .failureThreshold)
        #expect(proposals.first?.generation == 0)
        #expect(proposals.first?.breakDuration == .seconds(10))
        #expect(proposals.first?.window.consecutiveFailures == 3)
        clock.advance(by: .seconds(1))
        fail(breaker)
        #expect(authority.proposals.value.count == 2)
        #expect(events.value.isEmpty)
    }

    @Test func failingAsyncCallsWaitForTheirReportAndSuccessesDoNot() async throws {
        let breaker = try attachedBreaker(threshold: 100)
        _ = try await breaker.execute { 1 }
        #expect(authority.failureReports.value == 0)
        await #expect(throws: TestFailure.self) { try await breaker.execute { () async throws -> Int in throw TestFailure(.timeout) } }
        #expect(authority.failureReports.value == 1)
        // An error that does not count as a failure is not reported either.
        await #expect(throws: TestFailure.self) { try await breaker.execute { () async throws -> Int in throw TestFailure(.badRequest) } }
        #expect(authority.failureReports.value == 1)
        // Without an authority deciding (unreachable), nothing waits.
        breaker.authorityDidBecomeUnavailable()
        await #expect(throws: TestFailure.self) { try await breaker.execute { () async throws -> Int in throw TestFailure(.timeout) } }
        #expect(authority.failureReports.value == 1)
    }

    @Test func appliedStatesIgnoreStaleGenerations() throws {
        let breaker = try attachedBreaker()
        #expect(breaker.apply(CircuitBreakerStateUpdate(state: .open, generation: 7, openUntil: clock.now + .seconds(30))))
        #expect(breaker.state == .open)
        #expect(breaker.generation == 7)
        #expect(!breaker.apply(CircuitBreakerStateUpdate(state: .closed, generation: 7)))
        #expect(!breaker.apply(CircuitBreakerStateUpdate(state: .closed, generation: 3)))
        #expect(breaker.state == .open)
        do {
            _ = try breaker.acquirePermit()
            Issue.record("expected a rejection")
        } catch {
            #expect(error.retryAfter == .seconds(30))
        }
        #expect(breaker.apply(CircuitBreakerStateUpdate(state: .closed, generation: 8)))
        let transitions = events.value.map { "\($0.from)>\($0.to)" }
        #expect(transitions == ["closed>open", "open>closed"])
        let everyTransitionIsTheAuthoritys = events.value.allSatisfy { $0.reason == .authority }
        #expect(everyTransitionIsTheAuthoritys, "\(events.value)")
    }

    @Test func anElapsedBreakIsProposedNotTaken() throws {
        let breaker = try attachedBreaker()
        breaker.apply(CircuitBreakerStateUpdate(state: .open, generation: 1, openUntil: clock.now + .seconds(10)))
        clock.advance(by: .seconds(10))
        #expect(throws: ResilienceError.self) { try breaker.acquirePermit() }
        #expect(breaker.state == .open)
        #expect(authority.proposals.value.map(\.to) == [.halfOpen])
        #expect(authority.proposals.value.first?.reason == .breakElapsed)
    }

    @Test func halfOpenPermitsComeFromTheAuthority() throws {
        let breaker = try attachedBreaker()
        breaker.apply(CircuitBreakerStateUpdate(state: .halfOpen, generation: 4))
        let permit = try breaker.acquirePermit()
        #expect(permit.isProbe)
        #expect(permit.generation == 4)
        authority.probeAnswer.mutate { $0 = .denied }
        #expect(throws: ResilienceError.self) { try breaker.acquirePermit() }
        #expect(authority.probeRequests.value == [4, 4])
        breaker.release(permit)
        #expect(authority.releases.value == 1)
    }

    @Test func theAuthorityMayLetTheBreakerDecideProbesLocally() throws {
        let breaker = try attachedBreaker()
        breaker.apply(CircuitBreakerStateUpdate(state: .halfOpen, generation: 2))
        authority.probeAnswer.mutate { $0 = .decideLocally }
        let granted = (0..<10).compactMap { _ in try? breaker.acquirePermit() }
        #expect(granted.count == CircuitBreakerConfiguration.HalfOpen().permittedCalls)
    }

    @Test func probeOutcomesBecomeProposals() throws {
        let breaker = try attachedBreaker()
        breaker.apply(CircuitBreakerStateUpdate(state: .halfOpen, generation: 2))
        let permits = try (0..<3).map { _ in try breaker.acquirePermit() }
        for permit in permits { breaker.recordSuccess(permit) }
        #expect(authority.proposals.value.map(\.to) == [.closed])
        #expect(authority.proposals.value.first?.reason == .probesSucceeded)
        #expect(breaker.state == .halfOpen)
    }

    @Test func aFailureSignalsAFlushOncePerDrain() throws {
        let breaker = try attachedBreaker(threshold: 100)
        _ = try breaker.executeSync { 1 }
        fail(breaker, times: 3)
        #expect(authority.flushSignals.value == 1)
        let drained = breaker.drainOutcomes()
        #expect(drained == CircuitBreakerOutcomeCounts(successes: 1, failures: 3))
        fail(breaker)
        #expect(authority.flushSignals.value == 2)
        #expect(breaker.drainOutcomes() == CircuitBreakerOutcomeCounts(failures: 1))
        #expect(breaker.outcomeTotals == CircuitBreakerOutcomeCounts(successes: 1, failures: 4))
    }

    @Test func anUnreachableAuthorityLetsTheBreakerDecideLocally() throws {
        let breaker = try attachedBreaker()
        fail(breaker, times: 3)
        #expect(breaker.state == .closed)
        breaker.authorityDidBecomeUnavailable()
        #expect(breaker.state == .open)
        #expect(!breaker.isDelegated)
        #expect(events.value.map(\.reason) == [.failureThreshold])
        clock.advance(by: .seconds(10))
        #expect(try breaker.acquirePermit().isProbe)
        #expect(authority.probeRequests.value.isEmpty)
    }

    @Test func mergeKeepsTheMoreConservativeLocalStateAndProposesIt() throws {
        let breaker = try attachedBreaker()
        breaker.authorityDidBecomeUnavailable()
        fail(breaker, times: 3)
        #expect(breaker.state == .open)
        let proposal = breaker.merge(CircuitBreakerStateUpdate(state: .closed, generation: 12))
        #expect(proposal?.from == .closed && proposal?.to == .open && proposal?.generation == 12)
        #expect(proposal?.reason == .merge)
        let proposed = [proposal].compactMap { $0 }
        #expect(authority.proposals.value == proposed)
        #expect(breaker.state == .open)
        #expect(breaker.isDelegated)
        #expect(breaker.apply(CircuitBreakerStateUpdate(state: .open, generation: 13, openUntil: clock.now + .seconds(10))))
    }

    @Test func mergeAdoptsTheMoreConservativeRemoteState() throws {
        let breaker = try attachedBreaker()
        breaker.authorityDidBecomeUnavailable()
        let proposal = breaker.merge(CircuitBreakerStateUpdate(state: .isolated, generation: 5))
        #expect(proposal == nil)
        #expect(breaker.state == .isolated)
        #expect(breaker.generation == 5)
        #expect(events.value.map(\.reason) == [.merge])
    }

    @Test func manualControlIsProposedWhileDelegated() throws {
        let breaker = try attachedBreaker()
        breaker.isolate()
        #expect(breaker.state == .closed)
        #expect(authority.proposals.value.map(\.to) == [.isolated])
        breaker.apply(CircuitBreakerStateUpdate(state: .isolated, generation: 1))
        #expect(breaker.state == .isolated)
        breaker.detachAuthority()
        breaker.reset()
        #expect(breaker.state == .closed)
    }

    @Test func mergeWithoutALocalDecisionAdoptsEvenALowerGeneration() throws {
        let breaker = try attachedBreaker()
        breaker.apply(CircuitBreakerStateUpdate(state: .isolated, generation: 9))
        breaker.authorityDidBecomeUnavailable()
        #expect(!breaker.hasLocalDecision)
        let proposal = breaker.merge(CircuitBreakerStateUpdate(state: .closed, generation: 3))
        #expect(proposal == nil)
        #expect(breaker.state == .closed)
        #expect(breaker.generation == 3)
    }

    @Test func theAnswerToAMergeProposalIsAdoptedWhateverItsGeneration() throws {
        let breaker = try attachedBreaker()
        breaker.authorityDidBecomeUnavailable()
        fail(breaker, times: 3)
        #expect(breaker.hasLocalDecision)
        let localGeneration = breaker.generation
        let proposal = breaker.merge(CircuitBreakerStateUpdate(state: .disabled, generation: 0))
        #expect(proposal?.to == .open)
        // The local state stays under its own generation, never under the authority's.
        #expect(breaker.state == .open && breaker.generation == localGeneration)
        // The authority refused (disabled by an operator): its answer is adopted although its generation is lower.
        #expect(breaker.apply(CircuitBreakerStateUpdate(state: .disabled, generation: 0)))
        #expect(breaker.state == .disabled)
        #expect(!breaker.apply(CircuitBreakerStateUpdate(state: .closed, generation: 0)))
    }

    @Test func probeOutcomesAreDrainedWithTheGenerationThatAdmittedThem() throws {
        let breaker = try attachedBreaker()
        breaker.apply(CircuitBreakerStateUpdate(state: .halfOpen, generation: 4))
        let probe = try breaker.acquirePermit()
        #expect(probe.isProbe && probe.generation == 4)
        breaker.recordSuccess(probe)
        #expect(breaker.drainProbeOutcomes() == CircuitBreakerProbeOutcomes(generation: 4, successes: 1))
        #expect(breaker.drainProbeOutcomes() == nil)
    }

    @Test func aBreakerAwaitingItsFirstMergeDecidesLocallyUntilThen() throws {
        let breaker = try CircuitBreaker(
            name: "joining",
            configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(2), breakDuration: .fixed(.seconds(10))),
            clock: clock
        )
        breaker.attach(authority: authority, awaitingFirstMerge: true)
        #expect(!breaker.isDelegated)
        breaker.merge(CircuitBreakerStateUpdate(state: .open, generation: 2, openUntil: clock.now + .seconds(5)))
        #expect(breaker.isDelegated)
        #expect(breaker.state == .open)
    }

    @Test func conservativenessOrdersStates() {
        let ordered = CircuitBreakerState.allCases.sorted { $0.conservativeness < $1.conservativeness }
        #expect(ordered == [.disabled, .closed, .halfOpen, .open, .isolated])
        #expect(CircuitBreakerState.allCases.filter(\.rejectsCalls) == [.open, .isolated])
    }
}
