import Logging
import Metrics
import Tracing

/// Runs an operation again when it fails with a retryable error (or returns a retryable result),
/// waiting a backoff between attempts.
///
/// Each retry emits a ``RetryEvent``, a log line and a metric. The policy stops at the first of:
/// success, a non-retryable error, ``RetryConfiguration/maxAttempts``, a wait that would end past
/// ``RetryConfiguration/maxElapsed`` or past the deadline of a ``TimeoutPolicy`` around it, an empty
/// ``RetryBudget``, or cancellation. It then returns the
/// last result or throws the last error, unchanged.
///
/// ```swift
/// let retry = try RetryPolicy(configuration: RetryConfiguration(maxAttempts: 4))
/// let user = try await retry.execute { try await api.user(id) }
/// ```
public struct RetryPolicy: Sendable {
    private enum Decision {
        case retry(after: Duration)
        case stop(reason: String)
    }

    /// The name, used in events, logs and metrics.
    public let name: String
    /// The configuration.
    public let configuration: RetryConfiguration
    private let clock: any ResilienceClock
    private let telemetry: ResilienceTelemetry
    private let onRetry: (@Sendable (RetryEvent) -> Void)?

    /// Creates a retry policy.
    /// - Parameters:
    ///   - name: The name; `retry` by default.
    ///   - configuration: How to retry.
    ///   - clock: The clock used to wait; the system clock by default.
    ///   - telemetry: Where logs and metrics go.
    ///   - onRetry: Called before every retry's wait.
    /// - Throws: ``ResilienceError`` when the configuration is invalid.
    public init(
        name: String = "retry",
        configuration: RetryConfiguration = RetryConfiguration(),
        clock: any ResilienceClock = SystemClock(),
        telemetry: ResilienceTelemetry = ResilienceTelemetry(),
        onRetry: (@Sendable (RetryEvent) -> Void)? = nil
    ) throws(ResilienceError) {
        try configuration.validate()
        self.name = name
        self.configuration = configuration
        self.clock = clock
        self.telemetry = telemetry
        self.onRetry = onRetry
    }

    /// Runs `operation`, retrying as configured.
    /// - Parameters:
    ///   - shouldRetryResult: Decides whether a returned value is retried (such as a "try later" answer); none by default.
    ///   - operation: The call.
    /// - Returns: The first value not retried, or the last one when retries ran out.
    /// - Throws: The last error when it is not retried or retries ran out; `CancellationError` when cancelled while waiting.
    @inlinable
    public func execute<T>(
        retryingResult shouldRetryResult: ((T) -> Bool)? = nil,
        _ operation: () async throws -> T
    ) async throws -> T {
        let start = begin()
        let first: Result<T, any Error>
        do {
            let value = try await operation()
            guard let shouldRetryResult, shouldRetryResult(value) else { return value }
            first = .success(value)
        } catch {
            first = .failure(error)
        }
        return try await retry(after: first, start: start, retryingResult: shouldRetryResult, operation)
    }

    /// Counts the call in the budget and notes the start time when the elapsed time is limited.
    @usableFromInline
    func begin() -> ResilienceInstant? {
        configuration.budget?.recordCall()
        return configuration.maxElapsed == nil ? nil : clock.now
    }

    /// The retries after a first attempt that ended with `first`.
    @usableFromInline
    func retry<T>(
        after first: Result<T, any Error>,
        start: ResilienceInstant?,
        retryingResult shouldRetryResult: ((T) -> Bool)?,
        _ operation: () async throws -> T
    ) async throws -> T {
        var outcome = first
        var generator = SystemRandomNumberGenerator()
        var previousDelay: Duration?
        var attempt = 1
        while true {
            let delay: Duration
            switch outcome {
            case .success(let value):
                let decision = decide(attempt: attempt, error: nil, start: start, previous: previousDelay, mayWait: true, using: &generator)
                guard case .retry(let after) = decision else { return value }
                delay = after
            case .failure(let error):
                let decision = decide(attempt: attempt, error: error, start: start, previous: previousDelay, mayWait: true, using: &generator)
                guard case .retry(let after) = decision else { throw error }
                delay = after
            }
            try await clock.sleep(for: delay)
            previousDelay = delay
            attempt += 1
            do {
                let value = try await operation()
                guard let shouldRetryResult, shouldRetryResult(value) else { return value }
                outcome = .success(value)
            } catch {
                outcome = .failure(error)
            }
        }
    }

    /// Runs a synchronous `operation`, retrying only where no wait is due.
    ///
    /// A synchronous caller must not block its thread, so a retry whose delay is not zero ends the
    /// retries and the last outcome is returned or thrown; use a zero ``Backoff/constant(_:jitter:)``
    /// for synchronous retries.
    /// - Parameters:
    ///   - shouldRetryResult: Decides whether a returned value is retried.
    ///   - operation: The call.
    /// - Returns: The first value not retried.
    /// - Throws: The last error.
    public func executeSync<T>(retryingResult shouldRetryResult: ((T) -> Bool)? = nil, _ operation: () throws -> T) throws -> T {
        configuration.budget?.recordCall()
        let start = configuration.maxElapsed == nil ? nil : clock.now
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do {
                let value = try operation()
                guard let shouldRetryResult, shouldRetryResult(value) else { return value }
                guard case .retry(.zero) = decide(attempt: attempt, error: nil, start: start, previous: nil, mayWait: false, using: &generator) else {
                    return value
                }
            } catch {
                guard case .retry(.zero) = decide(attempt: attempt, error: error, start: start, previous: nil, mayWait: false, using: &generator)
                else {
                    throw error
                }
            }
            attempt += 1
        }
    }

    private func decide(
        attempt: Int,
        error: (any Error)?,
        start: ResilienceInstant?,
        previous: Duration?,
        mayWait: Bool,
        using generator: inout SystemRandomNumberGenerator
    ) -> Decision {
        let kind = error.map { ResilienceError.Code(classifying: $0) }
        let decision = decideWithoutTelemetry(
            attempt: attempt,
            error: error,
            kind: kind,
            start: start,
            previous: previous,
            mayWait: mayWait,
            using: &generator
        )
        switch decision {
        case .retry(let delay):
            let now = clock.now
            telemetry.counter(ResilienceTelemetryNames.retryAttempts, [("retry", name), ("kind", kind?.description ?? "result")]).increment()
            telemetry.logger.debug(
                "retrying",
                metadata: [
                    "event": "\(ResilienceTelemetryNames.retryEvent)", "retry.name": "\(name)", "retry.attempt": "\(attempt)",
                    "retry.delay": "\(delay)", "retry.kind": "\(kind?.description ?? "result")",
                ]
            )
            onRetry?(RetryEvent(policy: name, attempt: attempt, delay: delay, kind: kind, at: now))
            PipelineSpan.addEvent(
                ResilienceTelemetryNames.retrySpanEvent,
                [
                    "bulwark.retry.name": "\(name)", "bulwark.retry.attempt": .int(Int64(attempt + 1)),
                    "bulwark.retry.delay_ms": .double(Double(delay / .microseconds(1)) / 1_000),
                    ResilienceTelemetryNames.errorTypeAttribute: "\(kind?.description ?? "result")",
                ]
            )
        case .stop(let reason):
            telemetry.counter(ResilienceTelemetryNames.retryGaveUp, [("retry", name), ("reason", reason)]).increment()
            PipelineSpan.addEvent(
                ResilienceTelemetryNames.retryGaveUpSpanEvent,
                ["bulwark.retry.name": "\(name)", "bulwark.retry.reason": "\(reason)"]
            )
        }
        return decision
    }

    private func decideWithoutTelemetry(
        attempt: Int,
        error: (any Error)?,
        kind: ResilienceError.Code?,
        start: ResilienceInstant?,
        previous: Duration?,
        mayWait: Bool,
        using generator: inout SystemRandomNumberGenerator
    ) -> Decision {
        if let error, let kind {
            if kind == .cancelled || Task.isCancelled { return .stop(reason: "cancelled") }
            guard configuration.shouldRetry?(error) ?? kind.isDependencyFailure else { return .stop(reason: "not-retryable") }
        }
        guard attempt < configuration.maxAttempts else { return .stop(reason: "attempts") }
        var delay = configuration.backoff.delay(forRetry: attempt, previous: previous, using: &generator)
        if configuration.honorRetryAfter, let error, let retryAfter = ResilienceError.retryAfter(of: error) {
            if retryAfter > configuration.maxRetryAfter { return .stop(reason: "retry-after") }
            delay = max(delay, retryAfter)
        }
        if !mayWait && delay > .zero { return .stop(reason: "would-wait") }
        if let start, let maxElapsed = configuration.maxElapsed, start.duration(to: clock.now) + delay > maxElapsed {
            return .stop(reason: "elapsed")
        }
        // The next attempt could not start before the enclosing timeout gives up: the caller gets the failure now.
        if let deadline = CallDeadline.current, delay >= deadline.remaining { return .stop(reason: "deadline") }
        if let budget = configuration.budget, !budget.tryWithdraw() { return .stop(reason: "budget") }
        return .retry(after: delay)
    }
}
