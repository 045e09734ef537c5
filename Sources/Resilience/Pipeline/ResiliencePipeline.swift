/// Policies composed in a declared order, run around each call; build one with ``ResiliencePipelineBuilder``.
///
/// The pipeline is a value holding its stages; running it walks them with non-escaping closures,
/// so the happy path allocates nothing beyond what its policies need (a timeout's child tasks).
///
/// ```swift
/// let order = try await pipeline.execute { try await shop.order(id) }
/// ```
public struct ResiliencePipeline<Output: Sendable>: Sendable {
    /// The name.
    public let name: String
    @usableFromInline
    let stages: [ResiliencePipelineStage<Output>]

    init(name: String, stages: [ResiliencePipelineStage<Output>]) {
        self.name = name
        self.stages = stages
    }

    /// How many policies the pipeline runs.
    public var count: Int { stages.count }

    /// Runs `operation` through every policy, outermost first.
    /// - Parameter operation: The call.
    /// - Returns: What the call (or a fallback) returned.
    /// - Throws: What the policies or the call threw: a ``ResilienceError`` for the policies' own rejections.
    @inlinable
    public func execute(_ operation: @Sendable () async throws -> Output) async throws -> Output {
        try await run(stage: 0, operation)
    }

    /// Runs a synchronous `operation` through every policy.
    ///
    /// Synchronous callers cannot wait: a bulkhead rejects instead of queueing, a retry retries only
    /// where its delay is zero, a timeout checks its deadline when the call returns, and an
    /// asynchronous fallback handler does not apply.
    /// - Parameter operation: The call.
    /// - Returns: What the call (or a fallback) returned.
    /// - Throws: What the policies or the call threw.
    @inlinable
    public func executeSync(_ operation: () throws -> Output) throws -> Output {
        try runSync(stage: 0, operation)
    }

    @inlinable
    func run(stage index: Int, _ operation: @Sendable () async throws -> Output) async throws -> Output {
        guard index < stages.count else { return try await operation() }
        let next = index + 1
        switch stages[index] {
        case .fallback(let box):
            return try await box.value.execute { try await run(stage: next, operation) }
        case .retry(let box):
            return try await box.value.policy.execute(retryingResult: box.value.shouldRetryResult) { try await run(stage: next, operation) }
        case .circuitBreaker(let breaker):
            return try await breaker.execute { try await run(stage: next, operation) }
        case .timeout(let box):
            return try await box.value.execute { try await run(stage: next, operation) }
        case .bulkhead(let bulkhead):
            return try await bulkhead.execute { try await run(stage: next, operation) }
        case .rateLimiter(let box):
            try box.value.check()
            return try await run(stage: next, operation)
        }
    }

    @inlinable
    func runSync(stage index: Int, _ operation: () throws -> Output) throws -> Output {
        guard index < stages.count else { return try operation() }
        let next = index + 1
        switch stages[index] {
        case .fallback(let box):
            return try box.value.executeSync { try runSync(stage: next, operation) }
        case .retry(let box):
            return try box.value.policy.executeSync(retryingResult: box.value.shouldRetryResult) { try runSync(stage: next, operation) }
        case .circuitBreaker(let breaker):
            return try breaker.executeSync { try runSync(stage: next, operation) }
        case .timeout(let box):
            return try box.value.executeSync { try runSync(stage: next, operation) }
        case .bulkhead(let bulkhead):
            return try bulkhead.executeSync { try runSync(stage: next, operation) }
        case .rateLimiter(let box):
            try box.value.check()
            return try runSync(stage: next, operation)
        }
    }
}
