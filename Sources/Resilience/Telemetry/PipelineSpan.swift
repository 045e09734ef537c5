import Tracing

/// The span of the pipeline call running in this task, kept in the task's `ServiceContext` so that the
/// policies inside the pipeline (and in the hedges' child tasks) can add events to it.
enum PipelineSpan: ServiceContextKey {
    typealias Value = any Span

    static let nameOverride: String? = "bulwark.pipeline.span"

    /// Adds an event to the current pipeline span; does nothing outside a traced pipeline call.
    ///
    /// Called only off the happy path (a retry, a hedge, a rejection): it reads one task-local value.
    /// - Parameters:
    ///   - name: The event's name, from ``ResilienceTelemetryNames``.
    ///   - attributes: Built only when there is a span to add the event to.
    static func addEvent(_ name: String, _ attributes: @autoclosure () -> SpanAttributes) {
        guard let span = ServiceContext.current?[PipelineSpan.self] else { return }
        span.addEvent(SpanEvent(name: name, attributes: attributes()))
    }
}
