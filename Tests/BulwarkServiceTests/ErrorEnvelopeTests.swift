import Foundation
import HTTPTypes
import HummingbirdCore
import HummingbirdTesting
import RedisTestSupport
import Resilience
import SharedState
import Testing

@testable import BulwarkService

/// Every error kind leaves as the envelope with the right status, the correlation id in body and header,
/// and nothing internal in production mode.
@Suite(.serialized) struct ErrorEnvelopeTests {
    @Test func everyEnvelopeCarriesTheFiveFieldsAndTheCorrelationID() async throws {
        try await ServiceHarness.run { service in
            let response = try await service.send(.get, "/nothing/here", headers: [.correlationID: "req-42.a:b"])
            #expect(response.status == .notFound)
            #expect(response.headers[.correlationID] == "req-42.a:b")
            let error = response.envelope
            #expect(error["code"] as? String == "not_found")
            #expect(error["correlationId"] as? String == "req-42.a:b")
            #expect((error["message"] as? String)?.isEmpty == false)
            #expect(error["details"] is [String: Any])
            let timestamp = try #require(error["timestamp"] as? String)
            #expect(ISO8601DateFormatter().date(from: timestamp) != nil)
        }
    }

    @Test func aGeneratedCorrelationIDIsEchoedAndAnInvalidOneRefused() async throws {
        try await ServiceHarness.run { service in
            let fine = try await service.send(.get, "/health/live")
            let generated = try #require(fine.headers[.correlationID])
            #expect(UUID(uuidString: generated) != nil)
            let bad = try await service.send(.get, "/health/live", headers: [.correlationID: String(repeating: "x", count: 129)])
            #expect(bad.status == .badRequest)
            #expect(bad.envelope["code"] as? String == "validation_failed")
            #expect(bad.headers[.correlationID] == bad.envelope["correlationId"] as? String)
        }
    }

    @Test func statusesOfTheKindsThatRoutesProduce() async throws {
        try await ServiceHarness.run { service in
            // 400: invalid name in a path, bad JSON, missing query parameter.
            let badName = try await service.send(.post, "/api/v1/breakers/bad%20name/open", token: true)
            #expect(badName.status == .badRequest)
            let badJSON = try await service.send(.post, "/api/v1/cache/invalidate", json: "{nope", token: true)
            #expect(badJSON.status == .badRequest)
            #expect(badJSON.envelope["code"] as? String == "validation_failed")
            let missing = try await service.send(.get, "/api/v1/sessions")
            #expect(missing.status == .badRequest)
            #expect((missing.envelope["details"] as? [String: Any])?["parameter"] as? String == "user")
            // 401: no token, wrong token.
            let anonymous = try await service.send(.post, "/api/v1/breakers/x/open")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            let wrong = try await service.send(.post, "/api/v1/breakers/x/open", headers: [.authorization: "Bearer wrong-token-000000000"])
            #expect(wrong.status == .unauthorized)
            // 404: unknown breaker (nothing registered it), unknown action, absent cache key.
            let unknown = try await service.send(.post, "/api/v1/breakers/never-registered/open", token: true)
            #expect(unknown.status == .notFound)
            let action = try await service.send(.post, "/api/v1/breakers/x/explode", token: true)
            #expect(action.status == .notFound)
            let absent = try await service.send(.get, "/api/v1/cache?key=absent")
            #expect(absent.status == .notFound)
            // A method a path does not answer is not found there (and needs no token outside /api/v1/).
            let method = try await service.send(.delete, "/health")
            #expect(method.status == .notFound)
            #expect(method.envelope["code"] as? String == "not_found")
            // 409: a retry with no handler registered on this instance.
            let retry = try await service.send(.post, "/api/v1/dlq/orders/1-0/retry", token: true)
            #expect(retry.status == .conflict)
            // 413: a body over the limit.
            let large = try await service.send(.post, "/api/v1/cache/invalidate", json: String(repeating: " ", count: 70_000), token: true)
            #expect(large.status == .contentTooLarge)
        }
    }

    @Test func changesAreRefusedWhenNoTokenIsConfigured() async throws {
        try await ServiceHarness.run(configure: { $0.adminToken = nil }) { service in
            let response = try await service.send(.post, "/api/v1/cache/invalidate", json: #"{"keys":["a"]}"#, token: true)
            #expect(response.status == .forbidden)
            #expect((response.envelope["message"] as? String)?.contains("BULWARK_ADMIN_TOKEN") == true)
            // Reads stay open.
            #expect(try await service.send(.get, "/api/v1/instances").status == .ok)
        }
    }

    @Test func guessingTheTokenClosesChangesForAWhile() async throws {
        try await ServiceHarness.run { service in
            for _ in 0..<10 {
                let guess = try await service.send(
                    .post,
                    "/api/v1/cache/invalidate",
                    json: #"{"keys":["a"]}"#,
                    headers: [.authorization: "Bearer guess"]
                )
                #expect(guess.status == .unauthorized)
            }
            let right = try await service.send(.post, "/api/v1/cache/invalidate", json: #"{"keys":["a"]}"#, token: true)
            #expect(right.status == .tooManyRequests)
            #expect(right.envelope["code"] as? String == "rate_limited")
            let retryAfterSeconds = right.headers[.retryAfter].flatMap { Int($0) }
            let retryAfter = try #require(retryAfterSeconds, "Retry-After: \(right.headers[.retryAfter] ?? "none")")
            #expect((1...60).contains(retryAfter))
        }
    }

    @Test func redisAwayMakesFailClosedStoresAnswer503() async throws {
        try await ServiceHarness.run { service in
            try await service.redis.stop()
            let response = try await service.send(.get, "/api/v1/idempotency/key-1?scope=tenant")
            #expect(response.status == .serviceUnavailable)
            #expect(response.envelope["code"] as? String == "dependency_unavailable")
            #expect(!(response.text.contains(service.redis.url)))
        }
    }
}
