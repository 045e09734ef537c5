import Tracing

extension PolicyPipeline {
    /// Runs the call in a ``ResilienceTelemetryNames/pipelineSpan`` span, a child of the task's current span if any,
    /// and makes the span current so that the policies inside add their events to it (see `PipelineSpan`).
    @usableFromInline
    func executeTraced<T: Sendable>(
        by tracer: any Tracer,
        retryingResult shouldRetryResult: (@Sendable (T) -> Bool)?,
        _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        try await span(by: tracer) { try await executeUntraced(shouldRetryResult, operation) }
    }

    /// Runs `body` as one call of this pipeline: in its span when the pipeline traces (see ``tracer``), so that the
    /// policies `body` applies add their events to it; else just `body`. For callers that apply the pipeline's
    /// policies themselves, such as the resilient HTTP client.
    /// - Parameter body: The call, policies included.
    /// - Returns: What `body` returned.
    public func traced<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard let tracer else { return try await body() }
        return try await span(by: tracer, body)
    }

    private func span<Traced: Tracer, T: Sendable>(by tracer: Traced, _ body: @Sendable () async throws -> T) async throws -> T {
        let span = tracer.startSpan(ResilienceTelemetryNames.pipelineSpan, context: ServiceContext.current ?? .topLevel, ofKind: .internal)
        defer { span.end() }
        span.attributes[ResilienceTelemetryNames.pipelineNameAttribute] = name
        var context = span.context
        context[PipelineSpan.self] = span
        do {
            return try await ServiceContext.withValue(context) { try await body() }
        } catch {
            // The kind only: an error's message may carry what the caller would not want exported.
            span.attributes[ResilienceTelemetryNames.errorTypeAttribute] = ResilienceError.Code(classifying: error).description
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }
}
