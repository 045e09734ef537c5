import Bulwark
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BulwarkHummingbird

/// Rate limits per key with the IETF RateLimit header fields and 429 + Retry-After.
@Suite struct RateLimitMiddlewareTests {
    private static func application(key: (@Sendable (Request, TestContext) -> String)? = nil) throws -> some ApplicationProtocol {
        let router = Router(context: TestContext.self)
        router.add(middleware: CorrelationMiddleware())
        let policy = RateLimitPolicy(limit: 3, window: .seconds(60))
        if let key {
            router.add(middleware: try RateLimitMiddleware(policy: policy, key: key))
        } else {
            router.add(middleware: try RateLimitMiddleware<TestContext>(policy: policy))
        }
        router.get("/r") { _, _ in "ok" }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// `r` and `t` of a `RateLimit` field.
    private func parts(_ field: String?) -> (remaining: Int, reset: Int)? {
        guard let field, field.hasPrefix(#""default";"#) else { return nil }
        var values: [String: Int] = [:]
        for parameter in field.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=")
            if pair.count == 2 { values[String(pair[0])] = Int(pair[1]) }
        }
        guard let remaining = values["r"], let reset = values["t"] else { return nil }
        return (remaining, reset)
    }

    @Test func theClientAddressGetsItsQuotaThen429WithRetryAfter() async throws {
        try await Self.application().test(.live) { client in
            for expected in [2, 1, 0] {
                let response = try await client.execute(uri: "/r", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.rateLimitPolicy] == #""default";q=3;w=60"#)
                let quota = try #require(parts(response.headers[.rateLimit]))
                #expect(quota.remaining == expected)
                #expect((1...60).contains(quota.reset))
            }
            let refused = try await client.execute(uri: "/r", method: .get)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "rate_limited")
            #expect(refused.envelope["correlationId"] as? String == refused.headers[.correlationID])
            let retryAfterSeconds = refused.headers[.retryAfter].flatMap { Int($0) }
            let retryAfter = try #require(retryAfterSeconds)
            #expect((1...60).contains(retryAfter))
            #expect(refused.headers[.rateLimitPolicy] == #""default";q=3;w=60"#)
            #expect(parts(refused.headers[.rateLimit])?.remaining == 0)
            #expect(parts(refused.headers[.rateLimit])?.reset == retryAfter)
        }
    }

    @Test func eachKeyHasItsOwnQuota() async throws {
        let app = try Self.application { request, _ in request.headers[HTTPField.Name("X-API-Key")!] ?? "anonymous" }
        try await app.test(.live) { client in
            let first: HTTPFields = [HTTPField.Name("X-API-Key")!: "first"]
            for _ in 0..<3 { #expect(try await client.execute(uri: "/r", method: .get, headers: first).status == .ok) }
            #expect(try await client.execute(uri: "/r", method: .get, headers: first).status == .tooManyRequests)
            let second = try await client.execute(uri: "/r", method: .get, headers: [HTTPField.Name("X-API-Key")!: "second"])
            #expect(second.status == .ok)
            #expect(parts(second.headers[.rateLimit])?.remaining == 2)
        }
    }

    @Test func theKeysTrackedAreBounded() {
        let limiters = KeyedRateLimiters(policy: RateLimitPolicy(limit: 1, window: .seconds(60), maximumKeys: 2))
        for key in ["a", "b", "c", "d", "e"] {
            #expect(limiters.limiter(for: key).tryAcquire(permits: 1).isAllowed)
            #expect(limiters.count <= 2)
        }
        // The key seen most recently is kept, with its count.
        #expect(!limiters.limiter(for: "e").tryAcquire(permits: 1).isAllowed)
    }

    @Test func invalidPoliciesAreRefusedNamingTheField() {
        let cases: [(RateLimitPolicy, String)] = [
            (RateLimitPolicy(name: "bad name", limit: 1, window: .seconds(1)), "policy.name:"),
            (RateLimitPolicy(limit: 0, window: .seconds(1)), "policy.limit:"),
            (RateLimitPolicy(limit: 1, window: .milliseconds(1_500)), "policy.window:"),
            (RateLimitPolicy(limit: 1, window: .seconds(1), maximumKeys: 0), "policy.maximumKeys:"),
        ]
        for (policy, field) in cases {
            #expect {
                _ = try RateLimitMiddleware<TestContext>(policy: policy)
            } throws: { error in
                (error as? BulwarkError)?.code == .invalidConfiguration && (error as? BulwarkError)?.message.hasPrefix(field) == true
            }
        }
    }
}
