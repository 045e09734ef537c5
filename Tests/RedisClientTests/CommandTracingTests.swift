import InMemoryTracing
import RedisClient
import RedisTestSupport
import Testing
import Tracing

/// With a tracer, each command is a client span with OpenTelemetry's database attributes and never its arguments.
@Suite struct CommandTracingTests {
    private static let secret = "s3cret-value-7f1c"
    private static let key = "account:9f2e"

    /// Runs `body` with a client on a fresh `redis-server` whose spans go to `tracer` (none when `nil`).
    private static func withTracedRedis(
        tracer: InMemoryTracer?,
        _ body: (RedisServerProcess, RedisClient) async throws -> Void
    ) async throws {
        let server = try await RedisServerProcess.start()
        do {
            let client = try RedisClient(configuration: try RedisConfiguration(url: server.url), tracer: tracer)
            defer { client.shutdown() }
            try await body(server, client)
            await server.shutdown()
        } catch {
            await server.shutdown()
            throw error
        }
    }

    /// Every string an exporter would see of `span`: its name, attribute values and event names.
    private static func exportedText(of span: FinishedInMemorySpan) -> String {
        var text = span.operationName
        span.attributes.forEach { name, value in text += " \(name)=\(value)" }
        for event in span.events { text += " \(event.name)" }
        return text
    }

    @Test func aCommandIsAClientSpanWithTheDatabaseAttributesAndNoArguments() async throws {
        let tracer = InMemoryTracer()
        try await Self.withTracedRedis(tracer: tracer) { server, client in
            try await client.send("SET", Self.key, Self.secret)
            #expect(try await client.send("GET", Self.key).string == Self.secret)
            let spans = tracer.finishedSpans
            #expect(spans.map(\.operationName) == ["SET", "GET"])
            let set = try #require(spans.first)
            #expect(set.kind == .client)
            #expect(set.attributes.get("db.system.name") == .string("redis"))
            #expect(set.attributes.get("db.operation.name") == .string("SET"))
            #expect(set.attributes.get("db.namespace") == .string("0"))
            #expect(set.attributes.get("server.address") == .string("127.0.0.1"))
            #expect(set.attributes.get("server.port") == .int64(Int64(server.port)))
            #expect(set.status == nil)
            for span in spans {
                let text = Self.exportedText(of: span)
                #expect(!text.contains(Self.secret), "\(text)")
                #expect(!text.contains(Self.key), "\(text)")
            }
        }
    }

    @Test func anErrorReplyIsAnErrorSpanWithItsCodeButNotItsMessage() async throws {
        let tracer = InMemoryTracer()
        try await Self.withTracedRedis(tracer: tracer) { _, client in
            try await client.send("SET", Self.key, Self.secret)
            let error = await errorOf { try await client.send("LPUSH", Self.key, Self.secret) }
            #expect(error?.serverError?.code == "WRONGTYPE")
            let span = try #require(tracer.finishedSpans.last)
            #expect(span.operationName == "LPUSH")
            #expect(span.status?.code == .error)
            #expect(span.attributes.get("error.type") == .string("serverError"))
            #expect(span.attributes.get("db.response.status_code") == .string("WRONGTYPE"))
            #expect(span.errors.isEmpty, "the reply's text is not recorded")
        }
    }

    @Test func pipelinesAndTransactionsAreOneSpanEachWithTheirBatchSize() async throws {
        let tracer = InMemoryTracer()
        try await Self.withTracedRedis(tracer: tracer) { _, client in
            _ = try await client.pipeline([RedisCommand("GET", "a"), RedisCommand("GET", "b")])
            _ = try await client.pipeline([RedisCommand("SET", "a", Self.secret), RedisCommand("GET", "a")])
            _ = try await client.transaction([RedisCommand("INCR", "n"), RedisCommand("INCR", "n"), RedisCommand("GET", "n")])
            let spans = tracer.finishedSpans
            #expect(spans.map(\.operationName) == ["BATCH GET", "BATCH", "MULTI"])
            let sizes = spans.map { $0.attributes.get("db.operation.batch.size") }
            #expect(sizes == [.int64(2), .int64(2), .int64(3)])
            let texts = spans.map(Self.exportedText(of:))
            #expect(!texts.joined().contains(Self.secret))
        }
    }

    @Test func aRefusedAuthIsNeverSentNorTraced() async throws {
        let tracer = InMemoryTracer()
        try await Self.withTracedRedis(tracer: tracer) { _, client in
            let error = await errorOf { try await client.send("AUTH", "default", Self.secret) }
            #expect(error?.code == .invalidConfiguration)
            #expect(tracer.finishedSpans.isEmpty)
        }
    }

    @Test func withoutATracerNoCommandIsTraced() async throws {
        // Nothing is bootstrapped in this process, so a client traces nothing unless given a tracer.
        #expect(RedisClient.bootstrappedTracer == nil)
        let outer = InMemoryTracer()
        try await Self.withTracedRedis(tracer: nil) { _, client in
            try await outer.withSpan("request") { _ in
                try await client.send("SET", Self.key, Self.secret)
                _ = try await client.pipeline([RedisCommand("GET", Self.key)])
            }
            #expect(outer.finishedSpans.map(\.operationName) == ["request"])
        }
    }
}
