import Hummingbird
import Resilience
import SharedState

extension APIError {
    /// The API's view of any error a handler threw: typed errors map to their kinds; anything else is
    /// an internal error whose text stays in the log.
    ///
    /// | error | kind |
    /// |---|---|
    /// | ``APIError`` | itself |
    /// | `SharedStateError` | invalid name or configuration → validation (400); Redis unreachable or a limit reached → 503 |
    /// | `ResilienceError` | breaker open → 503, rate limited → 429, bulkhead full → 503, timeout → 504 (with `Retry-After` where known) |
    /// | Hummingbird's `HTTPResponseError` | its status (404, 405, 413, …) |
    /// | `DecodingError` | validation (400) |
    /// | anything else | internal (500), its text only in the log |
    /// - Parameter error: What a handler or a middleware threw.
    public init(mapping error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as SharedStateError:
            self.init(sharedState: error)
        case let error as ResilienceError:
            self.init(resilience: error)
        case let error as any HTTPResponseError:
            self.init(httpStatus: error.status, underlying: error)
        case is DecodingError:
            self.init(.validation, "the request body is not the JSON this endpoint expects", underlying: error)
        default:
            self.init(.internal, "the service failed to answer this request", underlying: error)
        }
    }

    private init(sharedState error: SharedStateError) {
        switch error.code {
        case .invalidName, .invalidConfiguration:
            // The store's message describes the input rule that was broken; it carries no secret.
            self.init(.validation, error.message, underlying: error)
        case .storeUnavailable:
            self.init(.unavailable, "shared state is unavailable: Redis cannot be reached", underlying: error)
        case .limitReached:
            self.init(.unavailable, error.message, underlying: error)
        default:
            self.init(.internal, "the shared state answered unexpectedly", underlying: error)
        }
    }

    private init(resilience error: ResilienceError) {
        let retryAfter = error.retryAfter.map { Int(($0 / .seconds(1)).rounded(.up)) }
        switch error.code {
        case .breakerOpen:
            self.init(.breakerOpen, "a circuit breaker is open for this dependency", retryAfterSeconds: retryAfter ?? 1, underlying: error)
        case .rateLimited:
            self.init(.rateLimited, "rate limit exceeded", retryAfterSeconds: retryAfter ?? 1, underlying: error)
        case .bulkheadFull:
            self.init(.unavailable, "too many concurrent calls to this dependency", retryAfterSeconds: 1, underlying: error)
        case .timeout:
            self.init(.gatewayTimeout, "the dependency did not answer in time", underlying: error)
        case .unavailable, .connection:
            self.init(.unavailable, "the dependency is unavailable", underlying: error)
        default:
            self.init(.internal, "the dependency failed", underlying: error)
        }
    }

    private init(httpStatus status: HTTPResponse.Status, underlying: any Error) {
        switch status {
        case .notFound: self.init(.notFound, "nothing is at this path", underlying: underlying)
        case .methodNotAllowed: self.init(.methodNotAllowed, "this path does not answer this method", underlying: underlying)
        case .contentTooLarge: self.init(.payloadTooLarge, "the request body is too large", underlying: underlying)
        case .requestTimeout: self.init(.requestTimeout, "the request took too long to arrive", underlying: underlying)
        case .unauthorized: self.init(.unauthorized, "authentication required", underlying: underlying)
        case .forbidden: self.init(.forbidden, "not allowed", underlying: underlying)
        case .badRequest: self.init(.validation, "the request is malformed", underlying: underlying)
        default:
            if (400..<500).contains(status.code) {
                self.init(Kind(code: "client_error", status: status), status.reasonPhrase, underlying: underlying)
            } else {
                self.init(.internal, "the service failed to answer this request", underlying: underlying)
            }
        }
    }
}
