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
        try await traced(by: tracer, shouldRetryResult, operation)
    }

    private func traced<Traced: Tracer, T: Sendable>(
        by tracer: Traced,
        _ shouldRetryResult: (@Sendable (T) -> Bool)?,
        _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        let span = tracer.startSpan(ResilienceTelemetryNames.pipelineSpan, context: ServiceContext.current ?? .topLevel, ofKind: .internal)
        defer { span.end() }
        span.attributes[ResilienceTelemetryNames.pipelineNameAttribute] = name
        var context = span.context
        context[PipelineSpan.self] = span
        do {
            return try await ServiceContext.withValue(context) { try await executeUntraced(shouldRetryResult, operation) }
        } catch {
            // The kind only: an error's message may carry what the caller would not want exported.
            span.attributes[ResilienceTelemetryNames.errorTypeAttribute] = ResilienceError.Code(classifying: error).description
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }
}
