import Resilience
import Testing

@Suite struct CircuitBreakerConcurrencyTests {
    @Test(arguments: [1, 3, 10])
    func concurrentCallersRacingForHalfOpenPermitsLetExactlyNThrough(permits: Int) async throws {
        let clock = ManualClock()
        let breaker = try CircuitBreaker(
            name: "race",
            configuration: CircuitBreakerConfiguration(
                failureThreshold: .consecutiveFailures(1),
                breakDuration: .fixed(.seconds(5)),
                halfOpen: .init(permittedCalls: permits, successThreshold: permits)
            ),
            clock: clock
        )
        _ = try? breaker.executeSync { () throws -> Int in throw TestFailure(.unavailable) }
        clock.advance(by: .seconds(5))
        let granted = await withTaskGroup(of: CircuitBreaker.Permit?.self) { group in
            for _ in 0..<200 { group.addTask { try? breaker.acquirePermit() } }
            var granted: [CircuitBreaker.Permit] = []
            for await permit in group { if let permit { granted.append(permit) } }
            return granted
        }
        #expect(granted.count == permits)
        let everyPermitIsAProbe = granted.allSatisfy { $0.isProbe }
        #expect(everyPermitIsAProbe)
        await withTaskGroup(of: Void.self) { group in
            for permit in granted { group.addTask { breaker.recordSuccess(permit) } }
        }
        #expect(breaker.state == .closed)
    }

    @Test func concurrentFailuresTripExactlyOnce() async throws {
        let events = Locked<[CircuitBreakerEvent]>([])
        let breaker = try CircuitBreaker(
            name: "storm",
            configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(5)),
            clock: ManualClock()
        ) { event in events.mutate { $0.append(event) } }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<500 {
                group.addTask {
                    _ = try? await breaker.execute { () async throws -> Int in throw TestFailure(.connection) }
                }
            }
        }
        #expect(events.value.map(\.to) == [.open])
        #expect(breaker.stats.totals.failures + breaker.stats.totals.rejections == 500)
    }

    @Test func concurrentSuccessesAreAllCounted() async throws {
        let breaker = try CircuitBreaker(name: "count", clock: ManualClock())
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    for _ in 0..<1_000 { _ = try? await breaker.execute { 1 } }
                }
            }
        }
        #expect(breaker.drainOutcomes().successes == 16_000)
        #expect(breaker.stats.window.calls == 16_000)
        #expect(breaker.drainOutcomes().isEmpty)
    }
}
