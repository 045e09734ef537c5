/// A ``PolicyPipeline`` for one result type, with what only a result type allows: a fallback around the
/// policies and retries of unwanted results. Build one with ``ResiliencePipelineBuilder``.
///
/// The policies run in the one order of ``PolicyPipeline``, with the fallback outermost, so that it sees what
/// is left after every retry: **fallback → rate limiter → bulkhead → total timeout → retry → hedging → circuit breaker →
/// attempt timeout → operation**.
///
/// ```swift
/// let order = try await pipeline.execute { try await shop.order(id) }
/// ```
public struct ResiliencePipeline<Output: Sendable>: Sendable {
    /// The policies, in their one order.
    public let policies: PolicyPipeline
    /// The fallback around the policies, if any.
    public let fallback: FallbackPolicy<Output>?
    /// Which returned values the retry tries again; none when `nil`.
    public let shouldRetryResult: (@Sendable (Output) -> Bool)?
    /// The policies split around the hedging, when the pipeline hedges.
    @usableFromInline let hedged: HedgedPolicies?

    init(
        policies: PolicyPipeline,
        fallback: FallbackPolicy<Output>?,
        shouldRetryResult: (@Sendable (Output) -> Bool)?,
        hedged: HedgedPolicies? = nil
    ) {
        self.policies = policies
        self.fallback = fallback
        self.shouldRetryResult = shouldRetryResult
        self.hedged = hedged
    }

    /// The hedging, between the retry and the circuit breaker, if any (see ``ResiliencePipelineBuilder/hedging(_:)``).
    public var hedging: HedgingPolicy? { hedged?.hedging }

    /// The name.
    public var name: String { policies.name }

    /// How many policies the pipeline runs, the fallback included.
    public var count: Int { policies.count + (fallback == nil ? 0 : 1) + (hedged == nil ? 0 : 1) }

    /// Runs `operation` through every policy, outermost first.
    /// - Parameter operation: The call.
    /// - Returns: What the call (or the fallback) returned.
    /// - Throws: What the policies or the call threw: a ``ResilienceError`` for the policies' own rejections.
    @inlinable
    public func execute(_ operation: @Sendable () async throws -> Output) async throws -> Output {
        guard let fallback else { return try await run(operation) }
        // The fallback's `execute`, inline: no closure around the policies.
        do {
            return try await run(operation)
        } catch {
            return try await fallback.answer(error)
        }
    }

    @inlinable @inline(__always)
    func run(_ operation: @Sendable () async throws -> Output) async throws -> Output {
        if let hedged, policies.switches.isOn(.hedging) { return try await hedged.execute(retryingResult: shouldRetryResult, operation) }
        return try await policies.execute(retryingResult: shouldRetryResult, operation)
    }

    /// Runs a synchronous `operation` through every policy (see ``PolicyPipeline/executeSync(retryingResult:_:)``);
    /// an asynchronous fallback handler does not apply, and a synchronous call is never hedged.
    /// - Parameter operation: The call.
    /// - Returns: What the call (or the fallback) returned.
    /// - Throws: What the policies or the call threw.
    public func executeSync(_ operation: () throws -> Output) throws -> Output {
        guard let fallback else { return try policies.executeSync(retryingResult: shouldRetryResult, operation) }
        return try fallback.executeSync { try policies.executeSync(retryingResult: shouldRetryResult, operation) }
    }
}
