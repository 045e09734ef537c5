import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Resilience
import SharedState
import Testing

@testable import BulwarkHummingbird

/// What the envelope says for each error, and that it holds without `CorrelationMiddleware` too. The service's
/// own tests check the envelope as the service answers it.
@Suite struct ErrorEnvelopeTests {
    @Test func productionHidesInternalsAndDevelopmentShowsThem() {
        struct Internal: Error, CustomStringConvertible { var description: String { "secret internal detail" } }
        let error = APIError(mapping: Internal())
        #expect(error.kind == .internal)
        let production = String(decoding: ErrorEnvelope.body(for: error, correlationID: "c", exposesInternalErrors: false), as: UTF8.self)
        let development = String(decoding: ErrorEnvelope.body(for: error, correlationID: "c", exposesInternalErrors: true), as: UTF8.self)
        #expect(ErrorEnvelope.response(for: error, correlationID: "c", exposesInternalErrors: false).status == .internalServerError)
        #expect(!production.contains("secret internal detail"))
        #expect(development.contains("secret internal detail"))
    }

    @Test func policyErrorsMapToTheirStatuses() {
        let cases: [(ResilienceError, HTTPResponse.Status, Bool)] = [
            (ResilienceError(.rateLimited, retryAfter: .seconds(3)), .tooManyRequests, true),
            (ResilienceError(.breakerOpen, retryAfter: .milliseconds(1_500)), .serviceUnavailable, true),
            (ResilienceError(.timeout), .gatewayTimeout, false),
            (ResilienceError(.bulkheadFull), .serviceUnavailable, true),
            (ResilienceError(.unavailable), .serviceUnavailable, false),
        ]
        for (error, status, hasRetryAfter) in cases {
            let response = ErrorEnvelope.response(for: APIError(mapping: error), correlationID: "c", exposesInternalErrors: false)
            #expect(response.status == status)
            #expect((response.headers[.retryAfter] != nil) == hasRetryAfter)
        }
        let rateLimited = ErrorEnvelope.response(
            for: APIError(mapping: ResilienceError(.rateLimited, retryAfter: .seconds(3))),
            correlationID: "c",
            exposesInternalErrors: false
        )
        #expect(rateLimited.headers[.retryAfter] == "3")
        #expect(APIError(mapping: SharedStateError(.invalidName, "bad")).kind == .validation)
        #expect(APIError(mapping: SharedStateError(.storeUnavailable, "down")).kind == .unavailable)
    }

    @Test func anAPIErrorAnswersItsStatusAndHeadersWithoutTheCorrelationMiddleware() async throws {
        let router = Router()
        router.get("/limited") { _, _ -> Response in
            throw APIError(.rateLimited, "slow down", retryAfterSeconds: 2, headers: [.rateLimit: #""default";r=0;t=2"#])
        }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/limited", method: .get)
            #expect(response.status == .tooManyRequests)
            #expect(response.headers[.retryAfter] == "2")
            #expect(response.headers[.rateLimit] == #""default";r=0;t=2"#)
            #expect(response.errorCode == "rate_limited")
        }
    }
}
