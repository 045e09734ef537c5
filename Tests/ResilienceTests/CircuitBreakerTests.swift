import Resilience
import Testing

@Suite struct CircuitBreakerTests {
    private let clock = ManualClock()
    private let events = Locked<[CircuitBreakerEvent]>([])

    private func breaker(_ configuration: CircuitBreakerConfiguration) throws -> CircuitBreaker {
        let events = self.events
        return try CircuitBreaker(name: "test", configuration: configuration, clock: clock) { event in events.mutate { $0.append(event) } }
    }

    private func fail(_ breaker: CircuitBreaker, _ kind: ResilienceError.Code = .serverError, times: Int = 1) {
        for _ in 0..<times { _ = try? breaker.executeSync { () throws -> Int in throw TestFailure(kind) } }
    }

    private func succeed(_ breaker: CircuitBreaker, times: Int = 1) {
        for _ in 0..<times { _ = try? breaker.executeSync { 1 } }
    }

    private var transitions: [String] { events.value.map { "\($0.from)>\($0.to)" } }

    private static let consecutive = CircuitBreakerConfiguration(
        failureThreshold: .consecutiveFailures(3),
        breakDuration: .fixed(.seconds(10)),
        halfOpen: .init(permittedCalls: 2, successThreshold: 2, maximumWait: .seconds(20))
    )

    @Test func consecutiveFailuresTripAndASuccessResetsTheCount() throws {
        let breaker = try breaker(Self.consecutive)
        fail(breaker, times: 2)
        succeed(breaker)
        fail(breaker, times: 2)
        #expect(breaker.state == .closed)
        fail(breaker)
        #expect(breaker.state == .open)
        #expect(transitions == ["closed>open"])
        #expect(events.value.first?.reason == .failureThreshold)
    }

    @Test func openRejectsWithTheRestOfTheBreakAsRetryAfter() throws {
        let breaker = try breaker(Self.consecutive)
        fail(breaker, times: 3)
        clock.advance(by: .seconds(4))
        do {
            _ = try breaker.executeSync { 1 }
            Issue.record("expected a rejection")
        } catch let error as ResilienceError {
            #expect(error.code == .breakerOpen)
            #expect(error.retryAfter == .seconds(6))
        }
        #expect(breaker.stats.totals.rejections == 1)
    }

    @Test func halfOpenClosesAfterTheSuccessThreshold() throws {
        let breaker = try breaker(Self.consecutive)
        fail(breaker, times: 3)
        clock.advance(by: .seconds(10))
        let first = try breaker.acquirePermit()
        #expect(breaker.state == .halfOpen)
        #expect(first.isProbe)
        let second = try breaker.acquirePermit()
        #expect(throws: ResilienceError.self) { try breaker.acquirePermit() }
        breaker.recordSuccess(first)
        #expect(breaker.state == .halfOpen)
        breaker.recordSuccess(second)
        #expect(breaker.state == .closed)
        #expect(transitions == ["closed>open", "open>half-open", "half-open>closed"])
        #expect(events.value.map(\.generation) == [1, 2, 3])
    }

    @Test func aFailedProbeReopensWithAGrowingBreak() throws {
        var configuration = Self.consecutive
        configuration.breakDuration = .growing(initial: .seconds(10), multiplier: 2, maximum: .seconds(25))
        let breaker = try breaker(configuration)
        fail(breaker, times: 3)
        clock.advance(by: .seconds(10))
        fail(breaker)
        #expect(breaker.state == .open)
        #expect(events.value.last?.reason == .probeFailed)
        clock.advance(by: .seconds(19))
        #expect(throws: ResilienceError.self) { try breaker.acquirePermit() }
        clock.advance(by: .seconds(1))
        fail(breaker)
        clock.advance(by: .seconds(25))
        #expect(try breaker.acquirePermit().isProbe)
        #expect(transitions == ["closed>open", "open>half-open", "half-open>open", "open>half-open", "half-open>open", "open>half-open"])
    }

    @Test func aHungProbeCannotHoldHalfOpenForever() throws {
        let breaker = try breaker(Self.consecutive)
        fail(breaker, times: 3)
        clock.advance(by: .seconds(10))
        _ = try breaker.acquirePermit()
        _ = try breaker.acquirePermit()
        clock.advance(by: .seconds(20))
        #expect(throws: ResilienceError.self) { try breaker.acquirePermit() }
        #expect(breaker.state == .open)
        #expect(events.value.last?.reason == .halfOpenTimeout)
    }

    @Test func cancelledProbeGivesItsPermitBack() throws {
        let breaker = try breaker(Self.consecutive)
        fail(breaker, times: 3)
        clock.advance(by: .seconds(10))
        let first = try breaker.acquirePermit()
        _ = try breaker.acquirePermit()
        breaker.recordFailure(first, error: CancellationError())
        #expect(try breaker.acquirePermit().isProbe)
        #expect(breaker.state == .halfOpen)
    }

    @Test func failureRatioNeedsTheMinimumThroughput() throws {
        let breaker = try breaker(
            CircuitBreakerConfiguration(failureThreshold: .failureRatio(0.5), window: .count(10), minimumThroughput: 6)
        )
        fail(breaker, times: 5)
        #expect(breaker.state == .closed)
        succeed(breaker, times: 4)
        #expect(breaker.stats.window.calls == 9)
        fail(breaker)
        #expect(breaker.state == .open)
        #expect(breaker.stats.window.failures == 6)
    }

    @Test func countWindowForgetsOldCalls() throws {
        let breaker = try breaker(CircuitBreakerConfiguration(failureThreshold: .failureRatio(0.5), window: .count(10), minimumThroughput: 10))
        fail(breaker, times: 4)
        succeed(breaker, times: 20)
        fail(breaker)
        #expect(breaker.state == .closed)
        #expect(breaker.stats.window.calls <= 10)
        #expect(breaker.stats.window.failures == 1)
    }

    @Test func timeWindowTripsAndItsBucketsExpire() throws {
        let breaker = try breaker(
            CircuitBreakerConfiguration(failureThreshold: .failureRatio(0.5), window: .time(.seconds(10), buckets: 5), minimumThroughput: 4)
        )
        fail(breaker, times: 3)
        clock.advance(by: .seconds(11))
        succeed(breaker, times: 3)
        fail(breaker)
        #expect(breaker.state == .closed)
        #expect(breaker.stats.window.calls == 4)
        fail(breaker)
        #expect(breaker.state == .closed)
        fail(breaker)
        #expect(breaker.state == .open)
        #expect(breaker.stats.window == CircuitBreakerWindowSnapshot(calls: 6, failures: 3, consecutiveFailures: 3))
    }

    @Test func slowCallsTripAtTheirOwnRatio() throws {
        let breaker = try breaker(
            CircuitBreakerConfiguration(
                failureThreshold: .failureRatio(1.0),
                window: .count(10),
                minimumThroughput: 4,
                slowCalls: .init(threshold: .seconds(2), ratio: 0.5)
            )
        )
        succeed(breaker, times: 2)
        for _ in 0..<2 {
            let permit = try breaker.acquirePermit()
            clock.advance(by: .seconds(3))
            breaker.recordSuccess(permit)
        }
        #expect(breaker.state == .open)
        #expect(events.value.last?.reason == .slowCallThreshold)
        #expect(breaker.stats.totals.slowCalls == 2)
    }

    @Test func onlyConfiguredKindsCountAsFailures() throws {
        let breaker = try breaker(CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(2)))
        fail(breaker, .badRequest, times: 5)
        fail(breaker, .notFound, times: 5)
        fail(breaker, .cancelled, times: 5)
        #expect(breaker.state == .closed)
        #expect(breaker.stats.totals.failures == 0)
        fail(breaker, .timeout, times: 2)
        #expect(breaker.state == .open)
        #expect(breaker.stats.lastFailureKind == .timeout)
    }

    @Test func aPredicateReplacesTheKinds() throws {
        let breaker = try breaker(
            CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(1), isFailure: { ($0 as? TestFailure)?.resilienceKind == .conflict })
        )
        fail(breaker, .serverError, times: 3)
        #expect(breaker.state == .closed)
        fail(breaker, .conflict)
        #expect(breaker.state == .open)
    }

    @Test func isolateDisableAndReset() throws {
        let breaker = try breaker(Self.consecutive)
        breaker.isolate()
        #expect(throws: ResilienceError.self) { try breaker.executeSync { 1 } }
        clock.advance(by: .seconds(3_600))
        #expect(breaker.state == .isolated)
        breaker.disable()
        fail(breaker, times: 10)
        #expect(breaker.state == .disabled)
        breaker.reset()
        #expect(breaker.state == .closed)
        #expect(transitions == ["closed>isolated", "isolated>disabled", "disabled>closed"])
        let everyTransitionIsManual = events.value.allSatisfy { $0.reason == .manual }
        #expect(everyTransitionIsManual, "\(events.value)")
    }

    @Test func statsDescribeTheBreaker() throws {
        let breaker = try breaker(Self.consecutive)
        succeed(breaker, times: 2)
        clock.advance(by: .seconds(1))
        fail(breaker, times: 3)
        let stats = breaker.stats
        #expect(stats.state == .open)
        #expect(stats.generation == 1)
        #expect(stats.totals == CircuitBreakerOutcomeCounts(successes: 2, failures: 3))
        #expect(stats.openedAt == ResilienceInstant(nanoseconds: 1_000_000_000))
        #expect(stats.openUntil == ResilienceInstant(nanoseconds: 11_000_000_000))
        #expect(stats.lastFailureAt == stats.openedAt)
        #expect(!stats.isDelegated)
    }

    @Test func invalidConfigurationNamesTheField() {
        do {
            _ = try CircuitBreaker(name: "bad", configuration: CircuitBreakerConfiguration(halfOpen: .init(permittedCalls: 2, successThreshold: 3)))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .badRequest)
            #expect(error.message?.contains("successThreshold") == true)
        }
    }

    @Test func executeRecordsOutcomesOfAsyncCalls() async throws {
        let breaker = try breaker(Self.consecutive)
        let value = try await breaker.execute { 42 }
        #expect(value == 42)
        for _ in 0..<3 { _ = try? await breaker.execute { () async throws -> Int in throw TestFailure(.timeout) } }
        await #expect(throws: ResilienceError.self) { try await breaker.execute { 1 } }
    }
}
