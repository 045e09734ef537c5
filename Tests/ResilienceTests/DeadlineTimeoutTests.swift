import Resilience
import Testing

/// ``TimeoutPolicy`` with ``TimeoutPolicy/Enforcement/deadline``: the call runs inline, reads the deadline from
/// ``ResilienceDeadline`` and honours it itself.
@Suite struct DeadlineTimeoutTests {
    @Test func theCallRunsInlineWithTheDeadlineSet() async throws {
        let timeout = TimeoutPolicy(timeout: .seconds(5), enforcement: .deadline, clock: ManualClock())
        let caller = withUnsafeCurrentTask { $0?.hashValue }
        let seen = try await timeout.execute { () async throws -> (sameTask: Bool, remaining: Duration?) in
            (withUnsafeCurrentTask { $0?.hashValue } == caller, ResilienceDeadline.remaining)
        }
        #expect(seen.sameTask, "a deadline timeout spawns nothing: the call runs in the caller's task")
        #expect(seen.remaining == .seconds(5))
        #expect(ResilienceDeadline.remaining == nil, "the deadline ends with the call")
    }

    @Test func aCallThatHonoursTheDeadlineEndsAsTheTimeout() async throws {
        let clock = ManualClock()
        let timeout = TimeoutPolicy(name: "quote", timeout: .seconds(2), enforcement: .deadline, clock: clock)
        let outcome = Task {
            try await timeout.execute { () async throws -> Int in
                // What a client given the deadline does: waits at most the time left, then fails on its own.
                try await clock.sleep(for: ResilienceDeadline.remaining ?? .seconds(60))
                throw TestFailure(.timeout)
            }
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(2))
        let error = await #expect(throws: ResilienceError.self) { try await outcome.value }
        #expect(error?.code == .timeout)
        #expect(error?.message?.contains("'quote'") == true, "\(String(describing: error))")
    }

    @Test func theCallersCancellationAfterTheDeadlineStaysACancellation() async throws {
        let clock = ManualClock()
        let timeout = TimeoutPolicy(timeout: .seconds(1), enforcement: .deadline, clock: clock)
        let entered = Locked(false)
        let outcome = Task {
            try await timeout.execute { () async throws -> Int in
                clock.advance(by: .seconds(2))
                entered.mutate { $0 = true }
                // Waits for the caller's cancellation, as a call ignoring its deadline would.
                while !Task.isCancelled { await Task.yield() }
                throw CancellationError()
            }
        }
        while !entered.value { await Task.yield() }
        outcome.cancel()
        await #expect(throws: CancellationError.self) { try await outcome.value }
    }

    @Test func aFailureBeforeTheDeadlineIsTheCallsOwn() async {
        let timeout = TimeoutPolicy(timeout: .seconds(2), enforcement: .deadline, clock: ManualClock())
        await #expect(throws: TestFailure.self) {
            try await timeout.execute { () async throws -> Int in throw TestFailure(.conflict) }
        }
    }

    @Test func theSoonerDeadlineAroundTheCallWins() async throws {
        let clock = ManualClock()
        let total = TimeoutPolicy(timeout: .seconds(1), enforcement: .deadline, clock: clock)
        let attempt = TimeoutPolicy(timeout: .seconds(10), enforcement: .deadline, clock: clock)
        let remaining = try await total.execute { try await attempt.execute { ResilienceDeadline.remaining } }
        #expect(remaining == .seconds(1))
    }

    @Test func aLateAnswerOfACallThatIgnoredTheDeadlineIsKept() async throws {
        let clock = ManualClock()
        let timeout = TimeoutPolicy(timeout: .seconds(1), enforcement: .deadline, clock: clock)
        let value = try await timeout.execute { () async throws -> Int in
            clock.advance(by: .seconds(3))
            #expect(ResilienceDeadline.hasPassed)
            return 7
        }
        #expect(value == 7, "nothing stops a call that ignores its deadline; its answer is not thrown away")
    }

    @Test func aBreakerInsideCountsTheDeadlinesTimeoutAsAFailure() async throws {
        let clock = ManualClock()
        let breaker = try CircuitBreaker(
            name: "deadline-breaker",
            configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(1)),
            clock: clock
        )
        let attemptTimeout = TimeoutPolicy(timeout: .seconds(1), enforcement: .deadline, clock: clock)
        let pipeline = PolicyPipeline(name: "deadline-pipeline", circuitBreaker: breaker, attemptTimeout: attemptTimeout)
        await #expect(throws: ResilienceError.self) {
            try await pipeline.execute { () async throws -> Int in
                clock.advance(by: .seconds(2))
                throw TestFailure(.timeout)
            }
        }
        #expect(breaker.state == .open)
    }
}
