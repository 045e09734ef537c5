/// An error that says itself which kind of failure it is.
///
/// Other modules' error types conform so that every policy classifies them from typed information:
/// an HTTP client error maps its status with ``ResilienceError/Code-swift.struct/init(httpStatus:)``,
/// a Redis client error maps its own codes.
///
/// ```swift
/// extension HTTPFailure: ResilienceClassifiable {
///     var resilienceKind: ResilienceError.Code { .init(httpStatus: status) ?? .unknown }
///     var resilienceRetryAfter: Duration? { retryAfterHeader.map { .seconds($0) } }
/// }
/// ```
public protocol ResilienceClassifiable: Error {
    /// The kind of failure.
    var resilienceKind: ResilienceError.Code { get }
    /// How long to wait before trying again, when the failure says so; `nil` by default.
    var resilienceRetryAfter: Duration? { get }
}

extension ResilienceClassifiable {
    /// No Retry-After hint.
    public var resilienceRetryAfter: Duration? { nil }
}
