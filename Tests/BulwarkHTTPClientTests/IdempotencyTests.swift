import AsyncHTTPClient
import Bulwark
import BulwarkHTTPClient
import BulwarkTestSupport
import NIOCore
import NIOHTTP1
import RedisClient
import RedisTestSupport
import Testing

/// Unsafe methods are retried only with an idempotency key, which every retry repeats with the same body.
@Suite(.serialized) struct IdempotencyTests {
    @Test func unsafeMethodsWithoutAKeyAreNotRetried() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events)
            for method in [HTTPMethod.POST, .PATCH, .PUT, .DELETE] {
                let path = "/unkeyed/\(method.rawValue)"
                fixture.upstream.script(path, Array(repeating: ScriptedUpstream.Reply(status: 503), count: 3))
                var request = HTTPClientRequest(url: fixture.upstream.url(path))
                request.method = method
                request.body = .bytes(ByteBuffer(string: "order"))
                let response = try await client.execute(request)
                #expect(response.status.code == 503)
                #expect(fixture.upstream.received(path).count == 1, "\(method)")
            }
            #expect(events.retryDelays.isEmpty)
        }
    }

    /// With a key, a POST is retried; the upstream sees the same key and the same body each time, even when the
    /// body was a one-pass stream.
    @Test func aKeyedPostIsRetriedWithTheSameKeyAndBody() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events)
            fixture.upstream.script("/orders", [ScriptedUpstream.Reply(status: 503), ScriptedUpstream.Reply(status: 500)])
            let first = try await client.post(fixture.upstream.url("/orders"), body: ByteBuffer(string: #"{"sku": 7}"#), idempotencyKey: "order-123")
            #expect(first.status == .ok)
            let received = fixture.upstream.received("/orders")
            #expect(received.count == 3)
            let everyAttemptAlike = received.allSatisfy { $0.idempotencyKey == "order-123" && $0.body == #"{"sku": 7}"# && $0.method == "POST" }
            #expect(everyAttemptAlike, "\(received)")

            fixture.upstream.script("/streamed", [ScriptedUpstream.Reply(status: 502)])
            var request = HTTPClientRequest(url: fixture.upstream.url("/streamed"))
            request.method = .POST
            request.headers.add(name: "Idempotency-Key", value: "stream-1")
            let parts = AsyncStream<ByteBuffer> { continuation in
                for part in ["one ", "two ", "three"] { continuation.yield(ByteBuffer(string: part)) }
                continuation.finish()
            }
            request.body = .stream(parts, length: .unknown)
            #expect(try await client.execute(request).status == .ok)
            #expect(fixture.upstream.received("/streamed").map(\.body) == ["one two three", "one two three"])
        }
    }

    /// A body over the limit is refused before anything is sent.
    @Test func aBodyOverTheLimitIsRefusedBeforeSending() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events) { $0.maxRequestBodyBytes = 8 }
            await #expect { try await client.post(fixture.upstream.url("/big"), body: ByteBuffer(string: "123456789")) } throws: { error in
                (error as? ResilientHTTPClientError)?.code == .requestBodyTooLarge
            }
            // The same client still sends a body within the limit: the refusal changed nothing.
            #expect(try await client.post(fixture.upstream.url("/big"), body: ByteBuffer(string: "12345678")).status == .ok)
            #expect(fixture.upstream.received("/big").map(\.body) == ["12345678"])
        }
    }
}
