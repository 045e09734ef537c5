import HTTPTypes

/// An error the API answers with, as the envelope
/// `{"error":{"code","message","timestamp","correlationId","details"}}`.
///
/// `message` is written for the caller and never carries an internal error's text or a secret. Throw it from
/// a handler or a middleware: ``CorrelationMiddleware`` answers with the envelope, and without it Hummingbird
/// does too (``APIError`` is an `HTTPResponseError`), only without the correlation id.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The kind of error; decides the status and the `code` of the envelope.
    public struct Kind: Sendable, Hashable {
        /// The stable machine-readable code.
        public let code: String
        /// The HTTP status.
        public let status: HTTPResponse.Status

        /// The request is malformed or names something invalid (400).
        public static let validation = Kind(code: "validation_failed", status: .badRequest)
        /// No or a wrong bearer token (401).
        public static let unauthorized = Kind(code: "unauthorized", status: .unauthorized)
        /// The action is not allowed here, e.g. admin changes with no token configured (403).
        public static let forbidden = Kind(code: "forbidden", status: .forbidden)
        /// Nothing is at this path or under this name (404).
        public static let notFound = Kind(code: "not_found", status: .notFound)
        /// The method is not one this path answers (405).
        public static let methodNotAllowed = Kind(code: "method_not_allowed", status: .methodNotAllowed)
        /// The client took too long to send its request (408).
        public static let requestTimeout = Kind(code: "request_timeout", status: .requestTimeout)
        /// The request conflicts with the resource's state, e.g. an idempotent request still running (409).
        public static let conflict = Kind(code: "conflict", status: .conflict)
        /// The body is larger than the service accepts (413).
        public static let payloadTooLarge = Kind(code: "payload_too_large", status: .contentTooLarge)
        /// A change's body is not `application/json` (415).
        public static let unsupportedMediaType = Kind(code: "unsupported_media_type", status: .unsupportedMediaType)
        /// The idempotency key was used with another payload (422).
        public static let unprocessable = Kind(code: "unprocessable", status: .unprocessableContent)
        /// A rate limit refused the call (429, with `Retry-After`).
        public static let rateLimited = Kind(code: "rate_limited", status: .tooManyRequests)
        /// An unexpected failure inside the service (500).
        public static let `internal` = Kind(code: "internal_error", status: .internalServerError)
        /// An upstream failed to answer usably: it could not be reached, or its answer could not be read (502).
        public static let badGateway = Kind(code: "bad_gateway", status: .badGateway)
        /// A circuit breaker is open for the dependency (503, with `Retry-After` when known).
        public static let breakerOpen = Kind(code: "breaker_open", status: .serviceUnavailable)
        /// A dependency, such as Redis for a store that fails closed, is unavailable (503).
        public static let unavailable = Kind(code: "dependency_unavailable", status: .serviceUnavailable)
        /// A dependency did not answer in time (504).
        public static let gatewayTimeout = Kind(code: "gateway_timeout", status: .gatewayTimeout)
    }

    /// The kind.
    public var kind: Kind
    /// What went wrong, for the caller.
    public var message: String
    /// Structured details, e.g. which field is invalid.
    public var details: [String: JSONValue]
    /// Seconds after which a retry may succeed (`Retry-After`).
    public var retryAfterSeconds: Int?
    /// More header fields for the error response, such as `RateLimit` on a 429.
    public var headers: HTTPFields
    /// The underlying error, shown only in development mode and in the log.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(
        _ kind: Kind,
        _ message: String,
        details: [String: JSONValue] = [:],
        retryAfterSeconds: Int? = nil,
        headers: HTTPFields = [:],
        underlying: (any Error)? = nil
    ) {
        self.kind = kind
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
        self.headers = headers
        self.underlying = underlying
    }

    /// `code: message`.
    public var description: String { "\(kind.code): \(message)" }
}
