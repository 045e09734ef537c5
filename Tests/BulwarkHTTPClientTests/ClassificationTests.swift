import AsyncHTTPClient
import Bulwark
import BulwarkHTTPClient
import BulwarkTestSupport
import Glibc
import NIOCore
import NIOHTTP1
import NIOSSL
import RedisClient
import RedisTestSupport
import Testing

/// What counts as a dependency failure (retried, counted by the breaker) and what is an answer (returned at once).
@Suite(.serialized) struct ClassificationTests {
    @Test func statusTable() {
        let named: [Int: ResilienceError.Code] = [502: .unavailable, 503: .unavailable, 504: .timeout, 408: .timeout, 429: .rateLimited]
        for status in 100..<600 {
            let expected = named[status] ?? (status >= 500 ? .serverError : nil)
            #expect(HTTPFailureClassification.failureKind(status: status) == expected, "\(status)")
        }
    }

    /// Against a real upstream: failure statuses are tried three times (two retries) and the last answer comes back;
    /// other 4xx and 2xx come back after one request. (A 429's `Retry-After` has tests of its own.)
    @Test func failureStatusesAreRetriedAndAnswersAreNot() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events)
            let retried = [500, 502, 503, 504, 408, 429]
            let answered = [200, 201, 204, 400, 401, 403, 404, 409, 410, 422]
            // 429 last: it pauses the authority for a second, which would delay the others.
            for status in answered + retried {
                let path = "/status/\(status)"
                fixture.upstream.script(path, Array(repeating: ScriptedUpstream.Reply(status: status), count: 3))
                let response = try await client.get(fixture.upstream.url(path))
                #expect(Int(response.status.code) == status)
                #expect(fixture.upstream.received(path).count == (retried.contains(status) ? 3 : 1), "\(status)")
            }
            // A connection that failed before reaching the upstream (a real network: it happens) is retried too, and
            // is not one of the statuses' retries.
            let statusRetries = events.retryKinds.filter { $0 != .connection }
            #expect(statusRetries.count == retried.count * 2, "\(events.retryKinds)")
        }
    }

    /// The errors AsyncHTTPClient and NIO throw: transport failures are dependency failures, the request's own
    /// mistakes and cancellation are not.
    @Test func transportErrorTable() {
        let table: [(any Error, ResilienceError.Code)] = [
            (HTTPClientError.connectTimeout, .timeout), (HTTPClientError.readTimeout, .timeout), (HTTPClientError.deadlineExceeded, .timeout),
            (HTTPClientError.tlsHandshakeTimeout, .timeout), (HTTPClientError.remoteConnectionClosed, .connection),
            (HTTPClientError.invalidURL, .badRequest), (HTTPClientError.emptyHost, .badRequest), (HTTPClientError.cancelled, .cancelled),
            (NIOSSLError.handshakeFailed(.sslError([])), .connection), (ChannelError.ioOnClosedChannel, .connection),
            (IOError(errnoCode: ECONNREFUSED, reason: "connect"), .connection), (IOError(errnoCode: ETIMEDOUT, reason: "read"), .timeout),
            (CancellationError(), .cancelled),
        ]
        for (error, kind) in table {
            #expect(HTTPFailureClassification.kind(of: error) == kind, "\(error)")
        }
    }

    /// Live: a refused connection (AsyncHTTPClient retries connecting until the attempt's deadline), TLS to a plain
    /// HTTP server and an upstream that does not answer are dependency failures: retried, then thrown.
    @Test func transportErrorsAreDependencyFailures() async throws {
        try await Fixture.with { fixture, events in
            let client = try fixture.client(events) { $0.profile = Fixture.profile(attemptTimeout: .milliseconds(300)) }
            // Nothing listens on port 1 of the loopback: the connection is refused.
            await #expect { try await client.get("http://127.0.0.1:1/refused") } throws: { error in
                ResilienceError(classifying: error).isDependencyFailure
            }
            #expect(events.retryDelays.count == 2)
            // TLS to a plain HTTP server: the handshake fails.
            await #expect { try await client.get("https://127.0.0.1:\(fixture.upstream.port)/tls") } throws: { error in
                ResilienceError(classifying: error).isDependencyFailure
            }
            #expect(events.retryDelays.count == 4)
            // An upstream that does not answer within the attempt timeout.
            fixture.upstream.script("/hang", Array(repeating: ScriptedUpstream.Reply(status: 200, delay: .seconds(30)), count: 3))
            await #expect { try await client.get(fixture.upstream.url("/hang")) } throws: { error in
                ResilienceError(classifying: error).code == .timeout
            }
            #expect(fixture.upstream.received("/hang").count == 3)
        }
    }

    /// Requests that cannot be sent are refused with the reason, never with the URL (it may hold a password).
    @Test func badRequestsAreRefusedClearly() async throws {
        let bulwark = try Bulwark(redisURL: "redis://127.0.0.1:1")
        let client = try ResilientHTTPClient(bulwark: bulwark)
        for url in ["ftp://host/x", "/relative", "http://", "http://user:secret@host:99999/", "http://[::1/", "http://host:80x/"] {
            await #expect { try await client.get(url) } throws: { error in
                guard let error = error as? ResilientHTTPClientError else { return false }
                return error.code == .invalidRequest && error.message.hasPrefix("url:") && !error.message.contains("secret")
            }
        }
        bulwark.client.shutdown()
    }
}
