/// The `retry` object of ``ResilienceProfile/Settings``.
struct RetrySettings: Decodable, Sendable {
    var retries: Int?
    var backoff: String?
    var initialDelay: String?
    var maxDelay: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: SettingsKey.self)
        try SettingsKey.refuseUnknown(in: container, known: ["retries", "backoff", "initialDelay", "maxDelay"])
        retries = try container.decodeIfPresent(Int.self, forKey: SettingsKey("retries"))
        backoff = try container.decodeIfPresent(String.self, forKey: SettingsKey("backoff"))
        initialDelay = try container.decodeIfPresent(String.self, forKey: SettingsKey("initialDelay"))
        maxDelay = try container.decodeIfPresent(String.self, forKey: SettingsKey("maxDelay"))
    }

    func apply(to base: RetryConfiguration) throws(ResilienceError) -> RetryConfiguration {
        var configuration = base
        if let retries {
            guard (0...100).contains(retries) else { throw SettingsKey.fail("retry.retries", "must be in 0...100") }
            configuration.maxAttempts = retries + 1
        }
        guard backoff != nil || initialDelay != nil || maxDelay != nil else { return configuration }
        let initial = try SettingsDuration.parseIfPresent(initialDelay, key: "retry.initialDelay") ?? base.backoff.initial
        let cap = try SettingsDuration.parseIfPresent(maxDelay, key: "retry.maxDelay") ?? base.backoff.maxDelay
        guard initial <= cap else { throw SettingsKey.fail("retry.initialDelay", "must not exceed retry.maxDelay") }
        switch backoff ?? "exponential" {
        case "exponential": configuration.backoff = .exponential(initial: initial, maxDelay: cap, jitter: base.backoff.jitter)
        case "linear": configuration.backoff = .linear(initial: initial, maxDelay: cap, jitter: base.backoff.jitter)
        case "constant": configuration.backoff = .constant(initial, jitter: base.backoff.jitter)
        default: throw SettingsKey.fail("retry.backoff", "expected exponential, linear or constant")
        }
        return configuration
    }
}

/// The `circuitBreaker` object of ``ResilienceProfile/Settings``.
struct BreakerSettings: Decodable, Sendable {
    var consecutiveFailures: Int?
    var failureRatio: Double?
    var minimumThroughput: Int?
    var window: String?
    var breakDuration: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: SettingsKey.self)
        try SettingsKey.refuseUnknown(
            in: container,
            known: ["consecutiveFailures", "failureRatio", "minimumThroughput", "window", "breakDuration"]
        )
        consecutiveFailures = try container.decodeIfPresent(Int.self, forKey: SettingsKey("consecutiveFailures"))
        failureRatio = try container.decodeIfPresent(Double.self, forKey: SettingsKey("failureRatio"))
        minimumThroughput = try container.decodeIfPresent(Int.self, forKey: SettingsKey("minimumThroughput"))
        window = try container.decodeIfPresent(String.self, forKey: SettingsKey("window"))
        breakDuration = try container.decodeIfPresent(String.self, forKey: SettingsKey("breakDuration"))
    }

    func apply(to base: CircuitBreakerConfiguration) throws(ResilienceError) -> CircuitBreakerConfiguration {
        var configuration = base
        switch (consecutiveFailures, failureRatio) {
        case (.some, .some):
            throw SettingsKey.fail("circuitBreaker.consecutiveFailures", "give either consecutiveFailures or failureRatio, not both")
        case (.some(let count), nil):
            guard count >= 1 else { throw SettingsKey.fail("circuitBreaker.consecutiveFailures", "must be at least 1") }
            configuration.failureThreshold = .consecutiveFailures(count)
        case (nil, .some(let ratio)):
            guard ratio > 0, ratio <= 1 else { throw SettingsKey.fail("circuitBreaker.failureRatio", "must be in (0, 1]") }
            configuration.failureThreshold = .failureRatio(ratio)
        case (nil, nil): break
        }
        if let minimumThroughput {
            guard minimumThroughput >= 1 else { throw SettingsKey.fail("circuitBreaker.minimumThroughput", "must be at least 1") }
            configuration.minimumThroughput = minimumThroughput
        }
        if let window = try SettingsDuration.parseIfPresent(window, key: "circuitBreaker.window") {
            guard window >= .milliseconds(10) else { throw SettingsKey.fail("circuitBreaker.window", "must be at least 10ms") }
            configuration.window = .time(window, buckets: 10)
        }
        if let duration = try SettingsDuration.parseIfPresent(breakDuration, key: "circuitBreaker.breakDuration") {
            guard duration > .zero else { throw SettingsKey.fail("circuitBreaker.breakDuration", "must be positive") }
            configuration.breakDuration = .fixed(duration)
        }
        return configuration
    }
}

/// The `bulkhead` object of ``ResilienceProfile/Settings``.
struct BulkheadSettings: Decodable, Sendable {
    var maxConcurrentCalls: Int?
    var maxQueuedCalls: Int?
    var queueTimeout: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: SettingsKey.self)
        try SettingsKey.refuseUnknown(in: container, known: ["maxConcurrentCalls", "maxQueuedCalls", "queueTimeout"])
        maxConcurrentCalls = try container.decodeIfPresent(Int.self, forKey: SettingsKey("maxConcurrentCalls"))
        maxQueuedCalls = try container.decodeIfPresent(Int.self, forKey: SettingsKey("maxQueuedCalls"))
        queueTimeout = try container.decodeIfPresent(String.self, forKey: SettingsKey("queueTimeout"))
    }

    func apply(to base: BulkheadConfiguration) throws(ResilienceError) -> BulkheadConfiguration {
        var configuration = base
        if let maxConcurrentCalls {
            guard maxConcurrentCalls >= 1 else { throw SettingsKey.fail("bulkhead.maxConcurrentCalls", "must be at least 1") }
            configuration.maxConcurrentCalls = maxConcurrentCalls
        }
        if let maxQueuedCalls {
            guard maxQueuedCalls >= 0 else { throw SettingsKey.fail("bulkhead.maxQueuedCalls", "must not be negative") }
            configuration.maxQueuedCalls = maxQueuedCalls
        }
        if let timeout = try SettingsDuration.parseIfPresent(queueTimeout, key: "bulkhead.queueTimeout") {
            configuration.queueTimeout = timeout
        }
        return configuration
    }
}
