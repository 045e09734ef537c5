import InMemoryTracing
import Resilience
import Synchronization
import Testing
import Tracing

/// A traced pipeline call is one `bulwark.pipeline` span whose events tell what the policies did; untraced, no span.
@Suite struct PipelineTracingTests {
    private static func retry(attempts: Int) throws -> RetryPolicy {
        try RetryPolicy(name: "quotes-retry", configuration: RetryConfiguration(maxAttempts: attempts, backoff: .constant(.zero)))
    }

    /// An operation that fails with a dependency failure `failures` times, then returns 42.
    private static func failing(_ failures: Int) -> @Sendable () async throws -> Int {
        let calls = Atomic<Int>(0)
        return {
            let call = calls.wrappingAdd(1, ordering: .relaxed).newValue
            if call <= failures { throw TestFailure(.unavailable) }
            return 42
        }
    }

    private static func events(named name: String, in span: FinishedInMemorySpan) -> [SpanEvent] {
        span.events.filter { $0.name == name }
    }

    @Test func aCallWithRetriesIsOneSpanWithAnEventPerRetry() async throws {
        let tracer = InMemoryTracer()
        let pipeline = PolicyPipeline(name: "quotes", retry: try Self.retry(attempts: 3), telemetry: ResilienceTelemetry(tracer: tracer))
        let value = try await pipeline.execute(Self.failing(2))
        #expect(value == 42)
        let spans = tracer.finishedSpans
        try #require(spans.count == 1)
        let span = spans[0]
        #expect(span.operationName == ResilienceTelemetryNames.pipelineSpan)
        #expect(span.kind == .internal)
        #expect(span.attributes.get(ResilienceTelemetryNames.pipelineNameAttribute) == .string("quotes"))
        #expect(span.status == nil)
        let retries = Self.events(named: ResilienceTelemetryNames.retrySpanEvent, in: span)
        let attempts = retries.map { $0.attributes.get("bulwark.retry.attempt") }
        let names = retries.map { $0.attributes.get("bulwark.retry.name") }
        let kinds = retries.map { $0.attributes.get(ResilienceTelemetryNames.errorTypeAttribute) }
        #expect(attempts == [.int64(2), .int64(3)])
        #expect(names == [.string("quotes-retry"), .string("quotes-retry")])
        #expect(kinds == [.string("unavailable"), .string("unavailable")])
    }

    @Test func aCallThatFailsHasAnErrorStatusItsKindAndWhyTheRetryGaveUp() async throws {
        let tracer = InMemoryTracer()
        let pipeline = PolicyPipeline(name: "quotes", retry: try Self.retry(attempts: 2), telemetry: ResilienceTelemetry(tracer: tracer))
        let failure = await #expect(throws: TestFailure.self) { try await pipeline.execute(Self.failing(5)) }
        #expect(failure?.resilienceKind == .unavailable)
        let span = try #require(tracer.finishedSpans.first)
        #expect(span.status?.code == .error)
        #expect(span.attributes.get(ResilienceTelemetryNames.errorTypeAttribute) == .string("unavailable"))
        #expect(span.errors.isEmpty, "the error itself, and its message, are not recorded")
        let gaveUp = Self.events(named: ResilienceTelemetryNames.retryGaveUpSpanEvent, in: span)
        let reasons = gaveUp.map { $0.attributes.get("bulwark.retry.reason") }
        #expect(reasons == [.string("attempts")])
    }

    @Test func aHedgeThatWinsIsReportedOnTheCallsOneSpan() async throws {
        let tracer = InMemoryTracer()
        let hedging = try HedgingPolicy(
            name: "quotes-hedging",
            configuration: HedgingConfiguration(maxHedgedAttempts: 1, delay: .fixed(.seconds(60)), budget: nil)
        )
        let pipeline = ResiliencePipelineBuilder<Int>(name: "quotes")
            .hedging(hedging)
            .circuitBreaker(try CircuitBreaker(name: "quotes-breaker"))
            .telemetry(ResilienceTelemetry(tracer: tracer))
            .build()
        // The primary fails at once, which launches the hedge at once; the hedge returns.
        let value = try await pipeline.execute(Self.failing(1))
        #expect(value == 42)
        let spans = tracer.finishedSpans
        try #require(spans.count == 1, "one span per call, not one per hedged attempt")
        let launched = Self.events(named: ResilienceTelemetryNames.hedgingLaunchedSpanEvent, in: spans[0])
        let won = Self.events(named: ResilienceTelemetryNames.hedgingWonSpanEvent, in: spans[0])
        let launchedAttempts = launched.map { $0.attributes.get("bulwark.hedging.attempt") }
        let wonAttempts = won.map { $0.attributes.get("bulwark.hedging.attempt") }
        #expect(launchedAttempts == [.int64(2)])
        #expect(wonAttempts == [.int64(2)])
        #expect(launched.first?.attributes.get("bulwark.hedging.name") == .string("quotes-hedging"))
    }

    @Test func aBreakerRejectionIsAnEventNamingTheBreakerAndItsState() async throws {
        let tracer = InMemoryTracer()
        let breaker = try CircuitBreaker(name: "quotes-breaker")
        breaker.isolate()
        let pipeline = PolicyPipeline(
            name: "quotes",
            retry: try Self.retry(attempts: 3),
            circuitBreaker: breaker,
            telemetry: ResilienceTelemetry(tracer: tracer)
        )
        let rejection = await #expect(throws: ResilienceError.self) { try await pipeline.execute(Self.failing(0)) }
        #expect(rejection?.code == .breakerOpen)
        let span = try #require(tracer.finishedSpans.first)
        let rejected = Self.events(named: ResilienceTelemetryNames.breakerRejectedSpanEvent, in: span)
        try #require(rejected.count == 1, "a rejection is not retried")
        #expect(rejected[0].attributes.get("bulwark.breaker.name") == .string("quotes-breaker"))
        #expect(rejected[0].attributes.get("bulwark.breaker.state") == .string("isolated"))
        #expect(span.attributes.get(ResilienceTelemetryNames.errorTypeAttribute) == .string("breaker-open"))
    }

    @Test func thePipelineSpanIsAChildOfTheCallersSpan() async throws {
        let tracer = InMemoryTracer()
        let pipeline = PolicyPipeline(name: "quotes", telemetry: ResilienceTelemetry(tracer: tracer))
        try await tracer.withSpan("GET /quotes") { _ in
            _ = try await pipeline.execute(Self.failing(0))
        }
        let spans = tracer.finishedSpans
        let requestSpan = spans.first { $0.operationName == "GET /quotes" }
        let callSpan = spans.first { $0.operationName == ResilienceTelemetryNames.pipelineSpan }
        let request = try #require(requestSpan)
        let call = try #require(callSpan)
        #expect(call.traceID == request.traceID)
        #expect(call.parentSpanID == request.spanID)
    }

    @Test func withoutATracerThereIsNoSpanAndPoliciesAddNoEvents() async throws {
        let tracer = InMemoryTracer()
        // Nothing bootstrapped in this process: the default telemetry has no tracer.
        #expect(ResilienceTelemetry().tracer == nil)
        #expect(PolicyPipeline(name: "default").tracer == nil)
        let breaker = try CircuitBreaker(name: "quotes-breaker")
        let untraced = PolicyPipeline(
            name: "quotes",
            retry: try Self.retry(attempts: 3),
            circuitBreaker: breaker,
            telemetry: ResilienceTelemetry(tracer: nil)
        )
        // Even inside someone else's span, an untraced pipeline's retries add nothing to it.
        let value = try await tracer.withSpan("GET /quotes") { _ in try await untraced.execute(Self.failing(2)) }
        #expect(value == 42)
        let spans = tracer.finishedSpans
        #expect(spans.map(\.operationName) == ["GET /quotes"])
        #expect(spans.first?.events.isEmpty == true)
    }
}
