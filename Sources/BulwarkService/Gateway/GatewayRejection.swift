import BulwarkHTTPClient
import Resilience

/// A request the gateway answers itself, with the service's error envelope: the error, and the reason counted
/// in `bulwark_gateway_rejections_total`.
struct GatewayRejection: Error {
    let error: APIError
    let reason: String

    init(_ kind: APIError.Kind, _ message: String, reason: String, details: [String: JSONValue] = [:], retryAfterSeconds: Int? = nil) {
        error = APIError(kind, message, details: details, retryAfterSeconds: retryAfterSeconds)
        self.reason = reason
    }

    /// What a failed call of `route`'s upstream at `index` is answered with: 502 when the upstream failed, 503 with
    /// `Retry-After` when its breaker is open (or it asked callers to wait, or the bulkhead is full), 504 when it
    /// did not answer in time; each names the route and the breaker.
    init(failure: any Error, route: GatewayRoute, upstream index: Int) {
        let breaker = route.breakerName(upstream: index)
        let details: [String: JSONValue] = ["route": .string(route.name), "breaker": .string(breaker)]
        let named = "route '\(route.name)', breaker '\(breaker)'"
        func seconds(_ duration: Duration?) -> Int? {
            duration.map { Int(($0 / .seconds(1)).rounded(.up)) }
        }
        switch failure {
        case let error as ResilienceError:
            switch error.code {
            case .breakerOpen:
                self.init(
                    .breakerOpen,
                    "\(named): the circuit breaker is open; the upstream was not called",
                    reason: "breaker_open",
                    details: details,
                    retryAfterSeconds: seconds(error.retryAfter) ?? 1
                )
            case .timeout:
                self.init(.gatewayTimeout, "\(named): the upstream did not answer in time", reason: "timeout", details: details)
            case .rateLimited:
                self.init(
                    .unavailable,
                    "\(named): the upstream asked callers to wait (Retry-After)",
                    reason: "paused",
                    details: details,
                    retryAfterSeconds: seconds(error.retryAfter) ?? 1
                )
            case .bulkheadFull:
                self.init(
                    .unavailable,
                    "\(named): too many calls to the upstream at once",
                    reason: "bulkhead_full",
                    details: details,
                    retryAfterSeconds: 1
                )
            default:
                self.init(.badGateway, "\(named): the upstream failed (\(error.code))", reason: "upstream_failed", details: details)
            }
        case let error as ResilientHTTPClientError:
            switch error.code {
            case .requestBodyTooLarge:
                self.init(.payloadTooLarge, "\(named): the request body is too large", reason: "body_too_large", details: details)
            case .transport where error.kind == .timeout:
                self.init(.gatewayTimeout, "\(named): the upstream did not answer in time", reason: "timeout", details: details)
            case .responseBodyTooLarge:
                self.init(.badGateway, "\(named): the upstream's response body is too large to relay", reason: "upstream_failed", details: details)
            case .limitReached:
                self.init(.unavailable, "\(named): the gateway holds too many breakers", reason: "upstream_failed", details: details)
            default:
                self.init(.badGateway, "\(named): the upstream could not be reached (\(error.kind))", reason: "upstream_failed", details: details)
            }
        default:
            self.init(.badGateway, "\(named): the upstream call failed", reason: "upstream_failed", details: details)
        }
    }
}
