import Resilience
import Testing

@Suite struct RateLimiterTests {
    @Test func tokenBucketAllowsABurstThenTheRefillRate() {
        let clock = ManualClock()
        let limiter = TokenBucketRateLimiter(name: "bucket", capacity: 5, refillRate: 2, clock: clock)
        let burstAllowed = (0..<5).allSatisfy { _ in limiter.tryAcquire(permits: 1).isAllowed }
        #expect(burstAllowed)
        #expect(limiter.tryAcquire(permits: 1) == .denied(retryAfter: .milliseconds(500)))
        clock.advance(by: .milliseconds(500))
        #expect(limiter.tryAcquire(permits: 1).isAllowed)
        #expect(limiter.tryAcquire(permits: 2) == .denied(retryAfter: .seconds(1)))
        clock.advance(by: .seconds(60))
        let refilledBurstAllowed = (0..<5).allSatisfy { _ in limiter.tryAcquire(permits: 1).isAllowed }
        #expect(refilledBurstAllowed)
        #expect(!limiter.tryAcquire(permits: 1).isAllowed)
    }

    @Test func tokenBucketRefusesMoreThanItsCapacityForever() {
        let limiter = TokenBucketRateLimiter(name: "bucket", capacity: 2, refillRate: 1, clock: ManualClock())
        #expect(limiter.tryAcquire(permits: 3) == .denied(retryAfter: .nanoseconds(Int64.max)))
    }

    @Test func slidingWindowLimitsAndWeighsThePreviousWindow() {
        let clock = ManualClock()
        let limiter = SlidingWindowRateLimiter(name: "window", limit: 10, window: .seconds(10), clock: clock)
        let limitAllowed = (0..<10).allSatisfy { _ in limiter.tryAcquire(permits: 1).isAllowed }
        #expect(limitAllowed)
        guard case .denied(let retryAfter) = limiter.tryAcquire(permits: 1) else {
            Issue.record("expected a denial")
            return
        }
        #expect(retryAfter > .zero && retryAfter <= .seconds(11))
        // Half-way into the next window half the previous one still counts: 5 permits are free.
        clock.advance(by: .seconds(15))
        let halfTheLimitAllowed = (0..<5).allSatisfy { _ in limiter.tryAcquire(permits: 1).isAllowed }
        #expect(halfTheLimitAllowed)
        #expect(!limiter.tryAcquire(permits: 1).isAllowed)
        clock.advance(by: .seconds(25))
        let wholeLimitAllowedAgain = (0..<10).allSatisfy { _ in limiter.tryAcquire(permits: 1).isAllowed }
        #expect(wholeLimitAllowedAgain)
    }

    @Test func slidingWindowRemainingCountsWhatIsLeftAndWhenTheWindowEnds() {
        let clock = ManualClock()
        let limiter = SlidingWindowRateLimiter(name: "window", limit: 10, window: .seconds(10), clock: clock)
        #expect(limiter.remaining() == (10, .seconds(10)))
        let firstFourAllowed = (0..<4).allSatisfy { _ in limiter.tryAcquire(permits: 1).isAllowed }
        #expect(firstFourAllowed)
        clock.advance(by: .seconds(2))
        #expect(limiter.remaining() == (6, .seconds(8)))
        // Half-way into the next window, half of the previous window's 4 still count.
        clock.advance(by: .seconds(13))
        #expect(limiter.remaining() == (8, .seconds(5)))
        let nextEightAllowed = (0..<8).allSatisfy { _ in limiter.tryAcquire(permits: 1).isAllowed }
        #expect(nextEightAllowed)
        #expect(limiter.remaining().permits == 0)
    }

    @Test func slidingWindowRetryAfterIsWhenRoomAppears() {
        let clock = ManualClock()
        let limiter = SlidingWindowRateLimiter(name: "window", limit: 10, window: .seconds(10), clock: clock)
        for _ in 0..<10 { _ = limiter.tryAcquire(permits: 1) }
        clock.advance(by: .seconds(10))
        guard case .denied(let retryAfter) = limiter.tryAcquire(permits: 1) else {
            Issue.record("expected a denial")
            return
        }
        clock.advance(by: retryAfter)
        #expect(limiter.tryAcquire(permits: 1).isAllowed)
    }

    @Test func checkThrowsRateLimitedWithRetryAfter() {
        let limiter = TokenBucketRateLimiter(name: "bucket", capacity: 1, refillRate: 1, clock: ManualClock())
        #expect(throws: Never.self) { try limiter.check() }
        do {
            _ = try limiter.executeSync { 1 }
            Issue.record("expected a rejection")
        } catch {
            #expect((error as? ResilienceError)?.code == .rateLimited)
            #expect(ResilienceError.retryAfter(of: error) == .seconds(1))
        }
    }
}
