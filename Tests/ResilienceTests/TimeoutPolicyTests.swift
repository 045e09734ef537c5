import Resilience
import Testing

@Suite struct TimeoutPolicyTests {
    @Test func returnsTheValueInTime() async throws {
        let timeout = TimeoutPolicy(timeout: .seconds(1), clock: ManualClock())
        let value = try await timeout.execute { 5 }
        #expect(value == 5)
    }

    @Test func passesTheOperationsErrorThrough() async {
        let timeout = TimeoutPolicy(timeout: .seconds(1), clock: ManualClock())
        await #expect(throws: TestFailure.self) { try await timeout.execute { () async throws -> Int in throw TestFailure(.conflict) } }
    }

    @Test func cooperativeTimeoutCancelsTheCallAndWaitsForIt() async throws {
        let clock = ManualClock()
        let timeout = TimeoutPolicy(timeout: .seconds(2), clock: clock)
        let sawCancellation = Locked(false)
        async let outcome = timeout.execute { () async throws -> Int in
            do {
                try await clock.sleep(for: .seconds(60))
            } catch {
                sawCancellation.mutate { $0 = true }
                throw error
            }
            return 1
        }
        await clock.waitForSleepers(count: 2)
        clock.advance(by: .seconds(2))
        do {
            _ = try await outcome
            Issue.record("expected a timeout")
        } catch let error as ResilienceError {
            #expect(error.code == .timeout)
        }
        #expect(sawCancellation.value)
    }

    @Test func abandoningTimeoutReturnsAtTheDeadlineWhileTheWorkGoesOn() async throws {
        let clock = ManualClock()
        let timeout = TimeoutPolicy(timeout: .seconds(1), clock: clock)
        let release = ManualClock()
        let finished = Locked(false)
        let outcome = Task {
            try await timeout.executeOrAbandon { () async throws -> Int in
                // Ignores cancellation: waits on another clock that nothing cancels.
                try? await Task { try await release.sleep(for: .seconds(1)) }.value
                finished.mutate { $0 = true }
                return 1
            }
        }
        await clock.waitForSleepers(count: 1)
        await release.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        await #expect(throws: ResilienceError.self) { try await outcome.value }
        #expect(!finished.value)
        release.advance(by: .seconds(1))
    }

    @Test func abandoningTimeoutReturnsAValueInTime() async throws {
        let timeout = TimeoutPolicy(timeout: .seconds(1), clock: ManualClock())
        let value = try await timeout.executeOrAbandon { 9 }
        #expect(value == 9)
    }

    @Test func synchronousTimeoutChecksTheDeadlineOnReturn() throws {
        let clock = ManualClock()
        let timeout = TimeoutPolicy(timeout: .seconds(1), clock: clock)
        let value = try timeout.executeSync { 1 }
        #expect(value == 1)
        #expect(throws: ResilienceError.self) {
            try timeout.executeSync {
                clock.advance(by: .seconds(2))
                return 1
            }
        }
    }
}
