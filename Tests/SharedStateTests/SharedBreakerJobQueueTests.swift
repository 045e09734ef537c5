import Resilience
import Testing

@testable import SharedState

/// Finding 12 (registry part): the registry's job stream is bounded and coalesces jobs per breaker.
@Suite struct SharedBreakerJobQueueTests {
    @Test func flushesOfOneBreakerCoalesceAndTheQueueIsBounded() async throws {
        let queue = SharedBreakerJobQueue(capacity: 3)
        for _ in 0..<1_000 { queue.enqueue(.flush("payments")) }
        queue.enqueue(.synchronize("payments"))
        queue.enqueue(.flush("search"))
        #expect(queue.count == 3)
        #expect(!queue.enqueue(.flush("orders")))
        #expect(queue.droppedCount == 1)
        queue.finish()
        var drained: [String] = []
        while let job = await queue.next() { drained.append("\(job.kind) \(job.breakerName)") }
        #expect(drained == ["0 payments", "3 payments", "0 search"])
        #expect(!queue.enqueue(.flush("payments")))
    }

    @Test func aWaitingConsumerGetsTheNextJob() async throws {
        let queue = SharedBreakerJobQueue(capacity: 10)
        let consumer = Task { await queue.next()?.breakerName }
        // The consumer may or may not be waiting yet: either way it gets the job.
        queue.enqueue(.flush("late"))
        #expect(await consumer.value == "late")
    }
}
