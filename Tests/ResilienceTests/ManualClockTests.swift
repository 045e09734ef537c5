import Resilience
import Testing

@Suite struct ManualClockTests {
    @Test func advanceWakesSleepersInDeadlineOrder() async throws {
        let clock = ManualClock()
        let woken = Locked<[Int]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, seconds) in [3, 1, 2].enumerated() {
                group.addTask {
                    try await clock.sleep(for: .seconds(seconds))
                    woken.mutate { $0.append(index) }
                }
            }
            await clock.waitForSleepers(count: 3)
            clock.advance(by: .seconds(1))
            try await group.next()
            #expect(woken.value == [1])
            clock.advance(by: .seconds(5))
            try await group.waitForAll()
        }
        #expect(woken.value.count == 3)
        #expect(clock.now == ResilienceInstant(nanoseconds: 6_000_000_000))
    }

    @Test func sleepingUntilThePastReturnsAtOnce() async throws {
        let clock = ManualClock(start: ResilienceInstant(nanoseconds: 500))
        try await clock.sleep(until: ResilienceInstant(nanoseconds: 100))
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellingASleeperThrowsCancellationError() async throws {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(10)) }
        await clock.waitForSleepers(count: 1)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func instantArithmeticSaturates() {
        let late = ResilienceInstant(nanoseconds: .max - 1)
        #expect(late.advanced(by: .seconds(1)).nanoseconds == .max)
        let early = ResilienceInstant(nanoseconds: 10)
        #expect(early.advanced(by: .nanoseconds(5)) - early == .nanoseconds(5))
    }

    @Test func systemClockIsMonotonic() {
        let clock = SystemClock()
        let first = clock.now
        #expect(clock.now >= first)
        #expect(clock.coarseNow <= clock.now)
    }
}
