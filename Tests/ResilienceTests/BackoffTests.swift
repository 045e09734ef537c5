import Resilience
import Testing

@Suite struct BackoffTests {
    @Test func growthStrategies() {
        let constant = Backoff.constant(.milliseconds(200))
        #expect((1...5).map(constant.baseDelay(forRetry:)) == Array(repeating: .milliseconds(200), count: 5))
        let linear = Backoff.linear(initial: .milliseconds(100), increment: .milliseconds(50))
        #expect((1...4).map(linear.baseDelay(forRetry:)) == [.milliseconds(100), .milliseconds(150), .milliseconds(200), .milliseconds(250)])
        let exponential = Backoff.exponential(initial: .milliseconds(100), multiplier: 2, jitter: .none)
        #expect((1...4).map(exponential.baseDelay(forRetry:)) == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800)])
        let fibonacci = Backoff.fibonacci(initial: .milliseconds(10))
        let fibonacciSteps = (1...6).map(fibonacci.baseDelay(forRetry:)).map { $0 / .milliseconds(10) }
        #expect(fibonacciSteps == [1, 1, 2, 3, 5, 8])
    }

    @Test func capHoldsForHugeRetryNumbers() {
        for backoff in [
            Backoff.linear(initial: .seconds(1), maxDelay: .seconds(30)),
            .exponential(initial: .seconds(1), maxDelay: .seconds(30), jitter: .none),
            .fibonacci(initial: .seconds(1), maxDelay: .seconds(30)),
        ] {
            for retry in [100, 1_000, 100_000, Int.max] {
                #expect(backoff.baseDelay(forRetry: retry) == .seconds(30))
            }
        }
    }

    @Test(arguments: [Jitter.none, .full, .equal, .decorrelated])
    func jitterStaysWithinItsRange(jitter: Jitter) {
        var generator = SplitMix64(state: 42)
        let initial = Duration.milliseconds(50)
        let cap = Duration.seconds(5)
        let backoff = Backoff.exponential(initial: initial, maxDelay: cap, jitter: jitter)
        for _ in 0..<200 {
            var previous: Duration?
            for retry in 1...20 {
                let base = backoff.baseDelay(forRetry: retry)
                let delay = backoff.delay(forRetry: retry, previous: previous, using: &generator)
                #expect(delay >= .zero && delay <= cap)
                switch jitter {
                case .none: #expect(delay == base)
                case .full: #expect(delay <= base)
                case .equal: #expect(delay >= base / 2 && delay <= base)
                default: #expect(delay >= initial && delay <= min(cap, (previous ?? initial) * 3))
                }
                previous = delay
            }
        }
    }

    @Test func fullJitterSpreadsOverTheWholeRange() {
        var generator = SplitMix64(state: 7)
        let backoff = Backoff.constant(.seconds(1), jitter: .full)
        let delays = (0..<2_000).map { _ in backoff.delay(forRetry: 1, previous: nil, using: &generator) }
        let someBelow100ms = delays.contains { $0 < .milliseconds(100) }
        let someAbove900ms = delays.contains { $0 > .milliseconds(900) }
        #expect(someBelow100ms, "shortest \(delays.min() ?? .zero)")
        #expect(someAbove900ms, "longest \(delays.max() ?? .zero)")
    }
}
