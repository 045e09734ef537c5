/// Hedging: when an idempotent request has not answered after ``delay``, the client sends it again without
/// cancelling the first, and takes whichever answers first (the others are cancelled).
///
/// Only requests whose method is in ``ResilientHTTPClientConfiguration/safeMethods`` are hedged: a keyed
/// `POST` is not, since two copies in flight at once would race on the server's idempotency record. Every
/// hedge is taken from the retry budget, so hedging cannot more than add the budget's share to the load.
///
/// ```swift
/// configuration.hedging = HedgingConfiguration(delay: .milliseconds(50))
/// ```
public struct HedgingConfiguration: Sendable {
    /// How long to wait for an answer before sending the next copy; more than zero and less than the attempt timeout.
    public var delay: Duration
    /// Copies sent besides the first, 1 to 5; 1 by default.
    public var maxHedgedAttempts: Int

    /// Creates a configuration.
    /// - Parameters:
    ///   - delay: The wait before each further copy.
    ///   - maxHedgedAttempts: Copies besides the first.
    public init(delay: Duration, maxHedgedAttempts: Int = 1) {
        self.delay = delay
        self.maxHedgedAttempts = maxHedgedAttempts
    }
}
