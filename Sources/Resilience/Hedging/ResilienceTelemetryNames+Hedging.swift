extension ResilienceTelemetryNames {
    /// Counter, dimension `hedging`: hedged attempts launched (the primaries are not counted).
    public static let hedgingAttempts = "bulwark_hedging_attempts_total"
    /// Counter, dimension `hedging`: calls whose value came from a hedged attempt.
    public static let hedgingWins = "bulwark_hedging_wins_total"
    /// Counter, dimension `hedging`: hedges not launched because the ``HedgingBudget`` was empty.
    public static let hedgingBudgetExhausted = "bulwark_hedging_budget_exhausted_total"

    /// Log event (metadata `event`): a hedged attempt was launched.
    public static let hedgingLaunchedEvent = "hedging.launched"
    /// Log event: a hedge was not launched because the budget was empty.
    public static let hedgingBudgetExhaustedEvent = "hedging.budget-exhausted"
}
