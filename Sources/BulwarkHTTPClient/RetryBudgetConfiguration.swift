/// The retry budget of each authority: over the last ``window``, retries (and hedges) stay below
/// `max(minimumRetries, ratio × requests)`, so a failing upstream gets at most a fifth more load by default,
/// not four times as much.
///
/// ```swift
/// configuration.retryBudget = RetryBudgetConfiguration(ratio: 0.1, minimumRetries: 5)
/// ```
public struct RetryBudgetConfiguration: Sendable {
    /// The fraction of recent requests that may be retried, from 0 to 1; 0.2 by default.
    public var ratio: Double
    /// Retries always allowed per window, whatever the traffic; 10 by default.
    public var minimumRetries: Int
    /// How far back requests and retries count; 10 s by default.
    public var window: Duration

    /// Creates a budget; every parameter has the default described above.
    /// - Parameters:
    ///   - ratio: The fraction of requests.
    ///   - minimumRetries: Retries always allowed.
    ///   - window: The window.
    public init(ratio: Double = 0.2, minimumRetries: Int = 10, window: Duration = .seconds(10)) {
        self.ratio = ratio
        self.minimumRetries = minimumRetries
        self.window = window
    }
}
