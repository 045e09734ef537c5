import RedisTestSupport
import Testing

@testable import RedisClient

/// A connection's thread spins only where it pays: never at a moderate rate, never while idle.
@Suite struct SpinTests {
    @Test func aConnectionThreadDoesNotSpinAtAModerateRate() async throws {
        try await withRedis(configure: { $0.poolSize = 1 }) { _, client in
            // One command every 2 ms or more (a loaded machine only stretches the gaps): each would find the
            // thread asleep after any spin, so spinning would only burn CPU.
            for _ in 0..<50 {
                try await client.send("PING")
                try await Task.sleep(for: .milliseconds(2))
            }
            #expect(client.statistics.commands >= 50)
            #expect(client.statistics.spins == 0)
        }
    }

    @Test func spinPolicyStopsAtTheFirstLongGapAndNeedsShortGapsToStart() {
        var policy = SpinPolicy()
        var now = ContinuousClock.now
        #expect(!policy.shouldSpin)
        for _ in 0..<SpinPolicy.shortGapsToSpin {
            policy.batchFinished(at: now)
            now += .microseconds(10)
            policy.workFound(at: now)
        }
        #expect(policy.shouldSpin)
        policy.batchFinished(at: now)
        now += .milliseconds(1)
        policy.workFound(at: now)
        #expect(!policy.shouldSpin)
        // A thread woken from sleep finds work at once, but the gap counts from the end of the last batch.
        policy.workFound(at: now + .microseconds(1))
        #expect(!policy.shouldSpin)
    }
}
