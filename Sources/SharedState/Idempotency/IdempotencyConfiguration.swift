/// How long leases and completed results live, and how a duplicate waits for the first request's result.
///
/// ```swift
/// var configuration = IdempotencyConfiguration()
/// configuration.leaseDuration = .seconds(60)    // the slowest operation must finish within it
/// configuration.retention = .hours(48)
/// let store = try IdempotencyStore(client: client, configuration: configuration)
/// ```
public struct IdempotencyConfiguration: Sendable, Equatable {
    /// How a caller that asked to wait polls for a result that another caller is still producing.
    ///
    /// The wait polls with exponential backoff from ``initialPoll`` to ``maximumPoll`` and gives up after
    /// ``timeout``; it never waits forever. Each poll is one claim attempt, so a waiter whose holder died
    /// takes the key over as soon as the lease expires.
    public struct Wait: Sendable, Equatable {
        /// The longest a caller waits for another caller's result, 10 s by default.
        public var timeout: Duration
        /// The first pause between polls, 5 ms by default.
        public var initialPoll: Duration
        /// The longest pause between polls, 250 ms by default.
        public var maximumPoll: Duration

        /// Creates a wait policy.
        public init(timeout: Duration = .seconds(10), initialPoll: Duration = .milliseconds(5), maximumPoll: Duration = .milliseconds(250)) {
            self.timeout = timeout
            self.initialPoll = initialPoll
            self.maximumPoll = maximumPoll
        }
    }

    /// How long an in-progress lease lasts, 30 s by default.
    ///
    /// When it expires, the key is free again: a caller that died or hung does not block its key forever,
    /// but a caller still running after its lease can no longer store its result. Choose it longer than
    /// the slowest operation.
    public var leaseDuration: Duration
    /// How long a completed result is kept and replayed, 24 h by default.
    public var retention: Duration
    /// How duplicates wait, when they ask to.
    public var wait: Wait

    /// Creates a configuration.
    public init(leaseDuration: Duration = .seconds(30), retention: Duration = .seconds(86_400), wait: Wait = Wait()) {
        self.leaseDuration = leaseDuration
        self.retention = retention
        self.wait = wait
    }

    /// Checks every field.
    /// - Throws: ``SharedStateError/Code/invalidConfiguration`` naming the field out of range.
    public func validate() throws(SharedStateError) {
        try Self.require(leaseDuration >= .milliseconds(1), "leaseDuration must be at least 1 ms")
        try Self.require(retention >= .milliseconds(1), "retention must be at least 1 ms")
        try Self.require(wait.timeout >= .zero, "wait.timeout must not be negative")
        try Self.require(wait.initialPoll >= .milliseconds(1), "wait.initialPoll must be at least 1 ms")
        try Self.require(wait.maximumPoll >= wait.initialPoll, "wait.maximumPoll must be at least wait.initialPoll")
    }

    private static func require(_ condition: Bool, _ message: String) throws(SharedStateError) {
        guard condition else { throw SharedStateError(.invalidConfiguration, message) }
    }
}
