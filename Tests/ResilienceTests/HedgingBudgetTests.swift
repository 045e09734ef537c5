import Resilience
import Testing

/// The hedge budget's arithmetic and the validation of hedging configurations.
@Suite struct HedgingBudgetTests {
    @Test func primaryCallsRefillTheBucketByTheirRatioUpToTheCapacity() {
        let budget = HedgingBudget(ratio: 0.1, capacity: 2)
        #expect(budget.tryWithdraw())
        #expect(budget.tryWithdraw())
        #expect(!budget.tryWithdraw())
        for _ in 0..<9 { budget.recordCall() }
        #expect(!budget.tryWithdraw())
        budget.recordCall()
        #expect(budget.tryWithdraw())
        for _ in 0..<1_000 { budget.recordCall() }
        #expect(budget.available == 2)
    }

    @Test func underAnOutageHedgesStayWithinTheRatioOfCallsPlusTheBurst() {
        let budget = HedgingBudget(ratio: 0.05, capacity: 10)
        var hedges = 0
        for _ in 0..<10_000 {
            budget.recordCall()
            if budget.tryWithdraw() { hedges += 1 }
        }
        #expect(hedges <= 500 + 10)
        #expect(hedges >= 500)
    }

    @Test func invalidConfigurationsAreRefusedNamingTheField() {
        let cases: [(HedgingConfiguration, String)] = [
            (HedgingConfiguration(maxHedgedAttempts: 0), "maxHedgedAttempts must be from 1 to 10, got 0"),
            (HedgingConfiguration(maxHedgedAttempts: 11), "maxHedgedAttempts must be from 1 to 10, got 11"),
            (HedgingConfiguration(budget: HedgingBudget(ratio: 1.5)), "the hedging budget's ratio must be from 0 to 1, got 1.5"),
            (HedgingConfiguration(budget: HedgingBudget(ratio: .nan)), "the hedging budget's ratio must be from 0 to 1, got nan"),
            (HedgingConfiguration(budget: HedgingBudget(capacity: 0)), "the hedging budget's capacity must be from 1 to 10000, got 0"),
        ]
        for (configuration, message) in cases {
            let error = #expect(throws: ResilienceError.self) { try HedgingPolicy(configuration: configuration) }
            #expect(error?.code == .badRequest)
            #expect(error?.message == message)
        }
    }
}
