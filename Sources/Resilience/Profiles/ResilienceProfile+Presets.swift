extension ResilienceProfile {
    /// The presets by their configuration names: `standard`, `llm-provider`, `database`, `external-api`,
    /// `message-queue`.
    public static let presets: [String: ResilienceProfile] = [
        "standard": .standard,
        "llm-provider": .llmProvider,
        "database": .database,
        "external-api": .externalAPI,
        "message-queue": .messageQueue,
    ]

    /// `standard`: the values of Polly's standard resilience handler, for a dependency nothing more is known about.
    ///
    /// Bulkhead of 1,000 calls at once with no queue (Polly's concurrency limiter) → total timeout 30 s →
    /// 3 retries, exponential from 2 s with full jitter, Retry-After honoured within the deadline → breaker
    /// opening at a failure ratio of 0.1 over 30 s with at least 100 calls, for 5 s → attempt timeout 10 s.
    /// Unlike Polly, 3 probes (not 1) must succeed to close: one lucky call does not close a breaker on a
    /// struggling dependency.
    public static let standard = ResilienceProfile(
        retry: RetryConfiguration(maxAttempts: 4, backoff: .exponential(initial: .seconds(2), maxDelay: .seconds(30), jitter: .full)),
        circuitBreaker: CircuitBreakerConfiguration(
            failureThreshold: .failureRatio(0.1),
            window: .time(.seconds(30), buckets: 10),
            minimumThroughput: 100,
            breakDuration: .fixed(.seconds(5))
        ),
        timeout: .seconds(10),
        totalTimeout: .seconds(30),
        bulkhead: BulkheadConfiguration(maxConcurrentCalls: 1_000, maxQueuedCalls: 0)
    )

    /// `llm-provider`: slow calls to a rate-limited model API.
    ///
    /// 3 retries, exponential from 1 s (capped at 30 s) with full jitter, a 429's Retry-After honoured within
    /// the deadline; breaker opening after 5 failures in a row, for 30 s; attempt timeout 30 s, total 120 s
    /// (four attempts); 10 calls at once, 10 waiting at most 1 s.
    public static let llmProvider = ResilienceProfile(
        retry: RetryConfiguration(maxAttempts: 4, backoff: .exponential(initial: .seconds(1), maxDelay: .seconds(30), jitter: .full)),
        circuitBreaker: .consecutiveFailures(5, breakFor: .seconds(30)),
        timeout: .seconds(30),
        totalTimeout: .seconds(120),
        bulkhead: BulkheadConfiguration(maxConcurrentCalls: 10)
    )

    /// `database`: a pool-limited store close by, where waiting long helps nobody.
    ///
    /// 2 retries, linear 100 ms then 200 ms; no breaker (the pool and the database's own limits stand
    /// in); attempt timeout 5 s, total 15 s (three attempts); no bulkhead (the connection pool is one).
    public static let database = ResilienceProfile(
        retry: RetryConfiguration(maxAttempts: 3, backoff: .linear(initial: .milliseconds(100), maxDelay: .seconds(1))),
        timeout: .seconds(5),
        totalTimeout: .seconds(15)
    )

    /// `external-api`: a third party's HTTP API.
    ///
    /// 3 retries, exponential from 500 ms (capped at 10 s) with full jitter; breaker opening after 3 failures
    /// in a row, for 60 s; attempt timeout 10 s, total 30 s (as Polly's handler); 5 calls at once, 10 waiting
    /// at most 1 s.
    public static let externalAPI = ResilienceProfile(
        retry: RetryConfiguration(maxAttempts: 4, backoff: .exponential(initial: .milliseconds(500), maxDelay: .seconds(10), jitter: .full)),
        circuitBreaker: .consecutiveFailures(3, breakFor: .seconds(60)),
        timeout: .seconds(10),
        totalTimeout: .seconds(30),
        bulkhead: BulkheadConfiguration(maxConcurrentCalls: 5)
    )

    /// `message-queue`: publishing to a broker, which recovers quickly and is worth more tries.
    ///
    /// 5 retries, exponential from 200 ms (capped at 5 s) with full jitter; breaker opening after 10 failures
    /// in a row, for 60 s; attempt timeout 5 s, total 30 s (six attempts); 20 calls at once, 10 waiting at
    /// most 1 s.
    public static let messageQueue = ResilienceProfile(
        retry: RetryConfiguration(maxAttempts: 6, backoff: .exponential(initial: .milliseconds(200), maxDelay: .seconds(5), jitter: .full)),
        circuitBreaker: .consecutiveFailures(10, breakFor: .seconds(60)),
        timeout: .seconds(5),
        totalTimeout: .seconds(30),
        bulkhead: BulkheadConfiguration(maxConcurrentCalls: 20)
    )
}
