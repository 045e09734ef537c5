import Resilience
import Testing

@testable import BulwarkService

/// Rates from reported totals, with no Redis: the window, restarts and forgetting.
@Suite struct BreakerRatesTests {
    private func totals(_ successes: UInt64, _ failures: UInt64, _ rejections: UInt64 = 0) -> CircuitBreakerOutcomeCounts {
        CircuitBreakerOutcomeCounts(successes: successes, failures: failures, rejections: rejections)
    }

    @Test func theFirstSampleHasNoRateAndTheSecondMeasuresTheChange() {
        var rates = BreakerRates()
        let first = rates.record(breaker: "b", instance: "a", totals: totals(10, 0), now: 1_000)
        #expect(first.callsPerSecond == 0)
        #expect(first.failureRatio == nil)
        let second = rates.record(breaker: "b", instance: "a", totals: totals(25, 5, 8), now: 3_000)
        #expect(second.callsPerSecond == 10)
        #expect(second.failureRatio == 0.25)
        #expect(second.rejectedPerSecond == 4)
    }

    @Test func ratesLookBackOverTheWindowOnly() {
        var rates = BreakerRates()
        _ = rates.record(breaker: "b", instance: "a", totals: totals(0, 0), now: 0)
        _ = rates.record(breaker: "b", instance: "a", totals: totals(0, 100), now: 5_000)
        _ = rates.record(breaker: "b", instance: "a", totals: totals(100, 100), now: 15_000)
        // The baseline is now the sample at 5 s: 100 successes in 10 s, no failures.
        let change = rates.record(breaker: "b", instance: "a", totals: totals(100, 100), now: 16_000)
        #expect(change.seconds == 11)
        #expect(change.failureRatio == 0)
        #expect(change.callsPerSecond == 100.0 / 11)
    }

    @Test func totalsThatGoDownStartTheHistoryAgain() {
        var rates = BreakerRates()
        _ = rates.record(breaker: "b", instance: "a", totals: totals(500, 20), now: 1_000)
        let restarted = rates.record(breaker: "b", instance: "a", totals: totals(3, 0), now: 2_000)
        #expect(restarted.callsPerSecond == 0)
        let next = rates.record(breaker: "b", instance: "a", totals: totals(13, 0), now: 3_000)
        #expect(next.callsPerSecond == 10)
    }

    @Test func goneBreakersAndInstancesAreForgotten() {
        var rates = BreakerRates()
        _ = rates.record(breaker: "b", instance: "gone", totals: totals(10, 0), now: 1_000)
        rates.retain(breakers: ["b"], instances: ["other"])
        let again = rates.record(breaker: "b", instance: "gone", totals: totals(20, 0), now: 2_000)
        #expect(again.callsPerSecond == 0, "a forgotten instance starts without history")
    }

    @Test func samplesCloserThanTheSpacingReplaceTheLastOne() {
        var rates = BreakerRates()
        _ = rates.record(breaker: "b", instance: "a", totals: totals(0, 0), now: 0)
        for step in 1...1_000 {
            _ = rates.record(breaker: "b", instance: "a", totals: totals(UInt64(step), 0), now: 1_000 + Int64(step))
        }
        // Polled a thousand times in one second, it still measures from the first sample.
        let change = rates.record(breaker: "b", instance: "a", totals: totals(2_000, 0), now: 2_000)
        #expect(change.callsPerSecond == 1_000)
    }
}
