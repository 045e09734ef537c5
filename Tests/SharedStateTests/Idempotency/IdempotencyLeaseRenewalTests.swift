import RedisTestSupport
import SharedState
import Synchronization
import Testing

/// The lease of a running operation is renewed until it ends (issue 14, finding 14).
@Suite struct IdempotencyLeaseRenewalTests {
    @Test func anOperationFourLeasesLongKeepsItsKeyFromEveryOtherClaim() async throws {
        let lease = Duration.milliseconds(400)
        try await withIdempotencyStores(2, configuration: IdempotencyConfiguration(leaseDuration: lease)) { _, stores in
            let running = Atomic<Bool>(false)
            let finished = Atomic<Bool>(false)
            // Another instance claims the key over and over while the operation runs.
            let contender = Task { () async throws -> (attempts: Int, acquired: Int) in
                try await eventually { () throws in
                    guard running.load(ordering: .relaxed) else { throw SharedStateError(.storeUnavailable, "not started yet") }
                }
                var attempts = 0
                var acquired = 0
                while !finished.load(ordering: .relaxed) {
                    let claim = try await stores[1].claim("long")
                    attempts += 1
                    if claim.lease != nil { acquired += 1 }
                    try await Task.sleep(for: .milliseconds(10))
                }
                return (attempts, acquired)
            }
            let clock = ContinuousClock()
            let started = clock.now
            let outcome = try await stores[0].execute("long") {
                running.store(true, ordering: .relaxed)
                while clock.now - started < lease * 4 { try await Task.sleep(for: .milliseconds(20)) }
                return Array("once".utf8)
            }
            finished.store(true, ordering: .relaxed)
            let contest = try await contender.value
            #expect(outcome == .executed(Array("once".utf8)))
            #expect(contest.attempts > 0)
            #expect(contest.acquired == 0)
            guard case .completed(let result) = try await stores[1].claim("long") else {
                Issue.record("the result was not stored")
                return
            }
            #expect(result == Array("once".utf8))
        }
    }
}
