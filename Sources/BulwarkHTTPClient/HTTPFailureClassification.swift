import AsyncHTTPClient
import NIOCore
import Resilience

/// How the resilient client tells a dependency failure (retried, counted by the breaker) from an answer
/// (returned to the caller as it is).
///
/// | what happened | kind | dependency failure |
/// |---|---|---|
/// | 500, 501, 505–599 | `server-error` | yes |
/// | 502, 503 | `unavailable` | yes |
/// | 504, 408 | `timeout` | yes |
/// | 429 | `rate-limited` | yes |
/// | other 4xx (400, 401, 403, 404, 409, 422, …) | `bad-request`, `authentication`, … | no |
/// | 1xx, 2xx, 3xx | — | no |
/// | connect, read or write error, connection reset, TLS error | `connection` | yes |
/// | connect, read, TLS-handshake or pool timeout | `timeout` | yes |
/// | invalid URL, header or body length, the client shut down | `bad-request` | no |
/// | cancellation | `cancelled` | no |
public enum HTTPFailureClassification {
    /// The failure kind of a status when it is a dependency failure (5xx, 408, 429), else `nil`: an answer.
    /// - Parameter status: The response status.
    /// - Returns: The kind, or `nil`.
    public static func failureKind(status: Int) -> ResilienceError.Code? {
        guard let kind = ResilienceError.Code(httpStatus: status), kind.isDependencyFailure else { return nil }
        return kind
    }

    /// The kind of an error AsyncHTTPClient threw while sending a request or reading its answer.
    ///
    /// Errors that are the request's own fault are answers; cancellation is cancellation; everything else
    /// (NIO connection and channel errors, TLS errors, a connection closed early) is the dependency failing.
    /// - Parameter error: The error.
    /// - Returns: The kind.
    public static func kind(of error: any Error) -> ResilienceError.Code {
        if error is CancellationError { return .cancelled }
        if let error = error as? IOError { return ResilienceError.Code(errno: error.errnoCode) ?? .connection }
        guard let error = error as? HTTPClientError else { return .connection }
        switch error {
        case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout, .socksHandshakeTimeout,
            .httpProxyHandshakeTimeout, .getConnectionFromPoolTimeout:
            return .timeout
        case .cancelled:
            return .cancelled
        case .invalidURL, .emptyHost, .missingSocketPath, .emptyScheme, .alreadyShutdown, .traceRequestWithBody, .bodyLengthMismatch,
            .identityCodingIncorrectlyPresent, .redirectLimitReached,
            .redirectCycleDetected, .invalidRedirectConfiguration, .invalidHTTPVersionConfiguration, .invalidDNSOverridesConfiguration,
            .invalidLocalAddress, .invalidProxyConfiguration, .writeAfterRequestSent, .contentLengthMissing:
            return .badRequest
        default:
            return .connection
        }
    }
}

/// A response whose status is a dependency failure, thrown inside an attempt so that the breaker counts it and
/// the retry tries again; the client returns the last one to the caller when the retries stop.
struct FailedResponse: Error, ResilienceClassifiable {
    let response: ResilientHTTPResponse
    let kind: ResilienceError.Code
    let retryAfter: Duration?

    var resilienceKind: ResilienceError.Code { kind }
    var resilienceRetryAfter: Duration? { retryAfter }
}
