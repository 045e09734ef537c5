import BulwarkService
import BulwarkTestSupport
import RedisTestSupport
import Testing

/// `bulwark serve` with `BULWARK_OTEL_ENDPOINT` exports its spans over OTLP/HTTP; the key is validated.
@Suite struct TracingExportTests {
    @Test func theServiceExportsItsRedisCommandSpansToTheOTLPEndpoint() async throws {
        let password = "otlp-test-redis-password-5d1"
        let collector = try await ScriptedUpstream.start()
        var options = RedisServerOptions()
        options.password = password
        let redis = try await RedisServerProcess.start(options)
        let serve: ServeProcess
        do {
            serve = try await ServeProcess.start(
                redisURL: redis.url,
                instance: "traced",
                adminToken: nil,
                environment: ["BULWARK_OTEL_ENDPOINT": collector.url(""), "OTEL_BSP_SCHEDULE_DELAY": "100"]
            )
        } catch {
            await redis.shutdown()
            await collector.stop()
            throw error
        }
        let exported = await Self.exportedText(collector, containing: ["db.system.name", "redis", "PING"])
        await serve.process.terminate()
        await redis.shutdown()
        await collector.stop()
        let text = try #require(exported, "no span reached the collector: \(serve.process.text)")
        // OTLP/HTTP protobuf: the strings are there as they are. The connection's AUTH and its password are not.
        #expect(text.contains("db.operation.name"))
        #expect(text.contains("server.address"))
        #expect(!text.contains(password))
        #expect(!text.contains("AUTH"))
        #expect(serve.process.text.contains("exporting spans over OTLP/HTTP"))
    }

    /// What the collector received on `/v1/traces` once it holds every string of `expected`, or `nil` after 30 s.
    private static func exportedText(_ collector: ScriptedUpstream, containing expected: [String]) async -> String? {
        try? await eventually(attempts: 300) {
            let bodies = collector.received("/v1/traces").map(\.body).joined(separator: "\n")
            guard expected.allSatisfy({ bodies.contains($0) }) else { throw NotExportedYet() }
            return bodies
        }
    }

    @Test func theEndpointMustBeAnHTTPURLWithoutCredentials() throws {
        let accepted = try ServiceConfiguration.load(file: nil, environment: ["BULWARK_OTEL_ENDPOINT": "http://127.0.0.1:4318"])
        #expect(accepted.otelEndpoint == "http://127.0.0.1:4318")
        #expect(try ServiceConfiguration.load(file: nil, environment: [:]).otelEndpoint == nil)
        let refused = [
            "127.0.0.1:4318", "ftp://collector:4318", "http://", "http://user:secret@collector:4318", "http://collector:4318/?token=x",
            "http://collector :4318", "http://collector:4318\n", String(repeating: "a", count: 3_000),
        ]
        for value in refused {
            do {
                _ = try ServiceConfiguration.load(file: nil, environment: ["BULWARK_OTEL_ENDPOINT": value])
                Issue.record("accepted \(value)")
            } catch {
                #expect(error.message.contains("'otelEndpoint'"))
                #expect(!error.message.contains("secret"))
            }
        }
    }
}

private struct NotExportedYet: Error {}
