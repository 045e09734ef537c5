import Resilience
import Testing

@Suite struct BulkheadTests {
    @Test func limitsConcurrencyAndQueuesTheRest() async throws {
        let gate = ManualClock()
        let bulkhead = try Bulkhead(
            name: "test",
            configuration: BulkheadConfiguration(maxConcurrentCalls: 2, maxQueuedCalls: 5, queueTimeout: .seconds(10)),
            clock: ManualClock()
        )
        let peak = Locked((current: 0, peak: 0))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try await bulkhead.execute {
                        peak.mutate {
                            $0.current += 1; $0.peak = max($0.peak, $0.current)
                        }
                        try await gate.sleep(for: .seconds(1))
                        peak.mutate { $0.current -= 1 }
                    }
                }
            }
            await gate.waitForSleepers(count: 2)
            #expect(bulkhead.activeCalls == 2)
            for _ in 0..<2 {
                gate.advance(by: .seconds(1))
                await gate.waitForSleepers(count: 2)
            }
            gate.advance(by: .seconds(1))
            try await group.waitForAll()
        }
        #expect(peak.value.peak == 2)
        #expect(bulkhead.activeCalls == 0)
        #expect(bulkhead.queuedCalls == 0)
    }

    @Test func rejectsWhenTheQueueIsFull() async throws {
        let gate = ManualClock()
        let bulkhead = try Bulkhead(
            name: "full",
            configuration: BulkheadConfiguration(maxConcurrentCalls: 1, maxQueuedCalls: 0),
            clock: ManualClock()
        )
        async let running: Void = bulkhead.execute { try await gate.sleep(for: .seconds(1)) }
        await gate.waitForSleepers(count: 1)
        do {
            try await bulkhead.execute {}
            Issue.record("expected a rejection")
        } catch let error as ResilienceError {
            #expect(error.code == .bulkheadFull)
        }
        #expect(throws: ResilienceError.self) { try bulkhead.executeSync { 1 } }
        gate.advance(by: .seconds(1))
        try await running
    }

    @Test func aQueuedCallTimesOut() async throws {
        let gate = ManualClock()
        let clock = ManualClock()
        let bulkhead = try Bulkhead(
            name: "slow",
            configuration: BulkheadConfiguration(maxConcurrentCalls: 1, maxQueuedCalls: 1, queueTimeout: .seconds(3)),
            clock: clock
        )
        async let running: Void = bulkhead.execute { try await gate.sleep(for: .seconds(1)) }
        await gate.waitForSleepers(count: 1)
        let queued = Task { try await bulkhead.execute {} }
        await clock.waitForSleepers(count: 1)
        #expect(bulkhead.queuedCalls == 1)
        clock.advance(by: .seconds(3))
        await #expect(throws: ResilienceError.self) { try await queued.value }
        #expect(bulkhead.queuedCalls == 0)
        gate.advance(by: .seconds(1))
        try await running
        let afterwards = try bulkhead.executeSync { 1 }
        #expect(afterwards == 1)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let gate = ManualClock()
        let clock = ManualClock()
        let bulkhead = try Bulkhead(
            name: "cancel",
            configuration: BulkheadConfiguration(maxConcurrentCalls: 1, maxQueuedCalls: 1, queueTimeout: .seconds(30)),
            clock: clock
        )
        async let running: Void = bulkhead.execute { try await gate.sleep(for: .seconds(1)) }
        await gate.waitForSleepers(count: 1)
        let waiter = Task { try await bulkhead.execute { 1 } }
        await clock.waitForSleepers(count: 1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(bulkhead.queuedCalls == 0)
        gate.advance(by: .seconds(1))
        try await running
        #expect(bulkhead.activeCalls == 0)
    }

    @Test func invalidConfigurationIsRejected() {
        #expect(throws: ResilienceError.self) { try Bulkhead(name: "x", configuration: BulkheadConfiguration(maxConcurrentCalls: 0)) }
    }
}
