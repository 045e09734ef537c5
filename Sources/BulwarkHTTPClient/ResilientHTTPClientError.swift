import Resilience

/// What ``ResilientHTTPClient`` throws besides the policies' own `ResilienceError` (breaker
/// open, bulkhead full, timeout, a fleet-wide pause): a code to compare, the failure kind the policies saw,
/// and a message for people that never repeats a URL or a body.
///
/// ```swift
/// do { _ = try await client.execute(request) }
/// catch let error as ResilientHTTPClientError where error.code == .transport { print(error.kind) }
/// ```
public struct ResilientHTTPClientError: Error, CustomStringConvertible, ResilienceClassifiable {
    /// The kind of error; codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case invalidConfiguration = "invalid-configuration"
            case invalidRequest = "invalid-request"
            case requestBodyTooLarge = "request-body-too-large"
            case responseBodyTooLarge = "response-body-too-large"
            case transport
            case limitReached = "limit-reached"
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A setting was refused at start-up; the message starts with its key.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The request cannot be sent as it is (URL, method, headers); nothing was sent.
        public static let invalidRequest = Code(.invalidRequest)
        /// The request body is over ``ResilientHTTPClientConfiguration/maxRequestBodyBytes``; nothing was sent.
        public static let requestBodyTooLarge = Code(.requestBodyTooLarge)
        /// The response body is over ``ResilientHTTPClientConfiguration/maxResponseBodyBytes``.
        public static let responseBodyTooLarge = Code(.responseBodyTooLarge)
        /// The request could not be sent or its answer not read (connect, read, TLS); see ``ResilientHTTPClientError/kind``.
        public static let transport = Code(.transport)
        /// The client already serves ``ResilientHTTPClientConfiguration/maxAuthorities`` authorities.
        public static let limitReached = Code(.limitReached)

        /// The stable name, such as `request-body-too-large`.
        public var description: String { backing.rawValue }
    }

    /// The kind of error.
    public var code: Code
    /// How the policies classify it: a dependency failure (`ResilienceError.Code.connection`,
    /// `ResilienceError.Code.timeout`) for transport errors, an answer
    /// (`ResilienceError.Code.badRequest`) for the caller's own mistakes.
    public var kind: ResilienceError.Code
    /// What was wrong.
    public var message: String
    /// The error this one reports, such as AsyncHTTPClient's.
    public var underlying: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of error.
    ///   - message: What was wrong.
    ///   - kind: The failure kind; `ResilienceError.Code.badRequest` by default.
    ///   - underlying: The error reported, if any.
    public init(_ code: Code, _ message: String, kind: ResilienceError.Code = .badRequest, underlying: (any Error)? = nil) {
        self.code = code
        self.kind = kind
        self.message = message
        self.underlying = underlying
    }

    /// The failure kind, for the breaker and the retry: ``kind``.
    public var resilienceKind: ResilienceError.Code { kind }

    /// The code, the kind and the message.
    public var description: String { "ResilientHTTPClientError(\(code), \(kind)): \(message)" }
}
