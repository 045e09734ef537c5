/// How a ``HedgingPolicy`` hedges.
///
/// Defaults: one hedged attempt besides the primary, a delay of 2 s (Polly's), a ``HedgingBudget`` of 10 % of
/// calls, and the ``ResilienceError/Code-swift.struct/dependencyFailures`` hedged: a failure that a retry
/// would not try again (not-found, a breaker's rejection, cancellation) launches no hedge.
public struct HedgingConfiguration: Sendable {
    /// The most attempts launched besides the primary, from 1 to 10.
    public var maxHedgedAttempts: Int
    /// How long to wait before each hedge; its sign chooses the mode (see ``HedgingDelayProvider``).
    public var delay: HedgingDelay
    /// Decides which failures launch another attempt; the ``ResilienceError/Code-swift.struct/dependencyFailures``
    /// when `nil`. The caller's cancellation never does.
    public var shouldHedge: (@Sendable (any Error) -> Bool)?
    /// Limits hedges to a fraction of calls; `nil` for no limit (then hedging may add up to
    /// ``maxHedgedAttempts`` times the load).
    public var budget: HedgingBudget?

    /// Creates a configuration; every parameter has the default described above.
    /// - Parameters:
    ///   - maxHedgedAttempts: The most attempts besides the primary.
    ///   - delay: The delay before each hedge.
    ///   - shouldHedge: Which failures launch another attempt.
    ///   - budget: The limit on hedges across calls.
    public init(
        maxHedgedAttempts: Int = 1,
        delay: HedgingDelay = .fixed(.seconds(2)),
        shouldHedge: (@Sendable (any Error) -> Bool)? = nil,
        budget: HedgingBudget? = HedgingBudget()
    ) {
        self.maxHedgedAttempts = maxHedgedAttempts
        self.delay = delay
        self.shouldHedge = shouldHedge
        self.budget = budget
    }

    /// Checks the invariants.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/badRequest`` naming the field at fault.
    public func validate() throws(ResilienceError) {
        guard (1...10).contains(maxHedgedAttempts) else {
            throw ResilienceError(.badRequest, message: "maxHedgedAttempts must be from 1 to 10, got \(maxHedgedAttempts)")
        }
        try budget?.validate()
    }

    /// Whether `error` launches another attempt.
    func hedges(_ error: any Error) -> Bool {
        if let shouldHedge { return shouldHedge(error) }
        return ResilienceError.Code(classifying: error).isDependencyFailure
    }
}
