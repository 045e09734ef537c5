import Resilience
import Testing

@testable import SharedState

/// Finding 12 (registry part): the registry's job stream coalesces jobs per breaker, which bounds it.
@Suite struct SharedBreakerJobQueueTests {
    @Test func jobsOfOneBreakerCoalesceSoTheQueueIsBoundedWithoutDroppingAny() async throws {
        let queue = SharedBreakerJobQueue()
        for _ in 0..<1_000 { #expect(queue.enqueue(.flush("payments"))) }
        for generation in 0..<100 { #expect(queue.enqueue(.claimProbe("payments", generation: UInt64(generation)))) }
        #expect(queue.enqueue(.synchronize("payments")))
        #expect(queue.enqueue(.flush("search")))
        // One job of each kind per breaker: four at most for each, whatever was asked.
        #expect(queue.count == 4)
        queue.finish()
        var drained: [String] = []
        while let job = await queue.next() {
            if case .claimProbe(_, let generation) = job {
                drained.append("claim \(generation)")
            } else {
                drained.append("\(job.kind) \(job.breakerName)")
            }
        }
        // The newest claim replaced the waiting ones; order is the order of first arrival.
        #expect(drained == ["0 payments", "claim 99", "3 payments", "0 search"])
        #expect(!queue.enqueue(.flush("payments")))
    }

    @Test func aWaitingConsumerGetsTheNextJob() async throws {
        let queue = SharedBreakerJobQueue()
        let consumer = Task { await queue.next()?.breakerName }
        // The consumer may or may not be waiting yet: either way it gets the job.
        queue.enqueue(.flush("late"))
        #expect(await consumer.value == "late")
    }
}
