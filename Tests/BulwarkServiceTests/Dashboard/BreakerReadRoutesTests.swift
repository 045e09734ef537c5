import Foundation
import HTTPTypes
import HummingbirdTesting
import RedisTestSupport
import Resilience
import SharedState
import Testing

@testable import BulwarkService

/// `GET /api/v1/breakers`, `GET /api/v1/breakers/{name}` and the page itself, through Hummingbird's test
/// client on a real redis-server.
@Suite(.serialized) struct BreakerReadRoutesTests {
    @Test func listAndShowAnswerEveryRegisteredBreakerAndRefuseUnknownOrBadNames() async throws {
        try await ServiceHarness.run { service in
            let payments = try service.components.breakers.breaker(
                named: "payments",
                configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(100))
            )
            _ = try await payments.execute { "ok" }
            let list = try await eventually(attempts: 200) {
                let answer = try await service.send(.get, "/api/v1/breakers")
                let breakers = answer.json["breakers"] as? [[String: Any]] ?? []
                guard answer.status == .ok, let first = breakers.first, (first["instances"] as? [Any])?.isEmpty == false else {
                    throw NotYet()
                }
                return answer.json
            }
            #expect(list["instance"] as? String == service.components.instanceID)
            #expect((list["sharedState"] as? [String: Any])?["mode"] as? String == "shared")
            #expect(list["liveInstances"] as? [String] == [service.components.instanceID])
            let breaker = try #require((list["breakers"] as? [[String: Any]])?.first)
            #expect(breaker["name"] as? String == "payments")
            #expect(breaker["state"] as? String == "closed")
            #expect(breaker["instancesClosed"] as? [String] == [service.components.instanceID])
            #expect((breaker["configuration"] as? [String: Any])?["rule"] as? String == "consecutive")

            let opened = try await service.send(.post, "/api/v1/breakers/payments/open", token: true)
            #expect(opened.status == .ok)
            let shown = try await service.send(.get, "/api/v1/breakers/payments")
            #expect(shown.status == .ok)
            #expect(shown.json["state"] as? String == "isolated")
            #expect(shown.json["severity"] as? Int == 5)

            let unknown = try await service.send(.get, "/api/v1/breakers/nope")
            #expect(unknown.status == .notFound)
            #expect(unknown.envelope["code"] as? String == "not_found")
            #expect((unknown.envelope["details"] as? [String: Any])?["breaker"] as? String == "nope")
            let bad = try await service.send(.get, "/api/v1/breakers/bad*name")
            #expect(bad.status == .badRequest)
            #expect(bad.envelope["code"] as? String == "validation_failed")
        }
    }

    @Test func withRedisGoneTheListIsUnavailableInTheEnvelope() async throws {
        let redis = try await RedisServerProcess.start()
        defer { Task { await redis.shutdown() } }
        try await ServiceHarness.run(redis: redis) { service in
            try await redis.stop()
            let answer = try await service.send(.get, "/api/v1/breakers")
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.envelope["code"] as? String == "dependency_unavailable")
        }
    }

    @Test func thePageAndItsFilesComeWithAStrictContentSecurityPolicy() async throws {
        try await ServiceHarness.run { service in
            let page = try await service.send(.get, "/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'"))
            #expect(!policy.contains("unsafe-inline"))
            #expect(page.text.contains("<script src=\"/dashboard/app.js\""))
            #expect(!page.text.contains("<script>"), "no inline script: the policy would block it")
            #expect(!page.text.contains(ServiceHarness.token))
            let script = try await service.send(.get, "/dashboard/app.js")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.text.contains("new EventSource(\"/api/v1/events\")"))
            #expect(!script.text.contains("innerHTML"), "values reach the page as text only")
            let style = try await service.send(.get, "/dashboard/app.css")
            #expect(style.headers[.contentType] == "text/css; charset=utf-8")
            #expect(style.text.contains("prefers-color-scheme: dark"))
        }
    }
}

private struct NotYet: Error {}
