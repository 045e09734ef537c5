/// The one error type of the resilience policies, and the taxonomy every failure is classified into.
///
/// Policies throw it for their own rejections (``Code-swift.struct/breakerOpen``,
/// ``Code-swift.struct/bulkheadFull``, ``Code-swift.struct/timeout``, ``Code-swift.struct/rateLimited``)
/// and classify any other error into a ``Code-swift.struct`` with ``init(classifying:file:line:)``. Callers compare
/// codes, never message text.
///
/// ```swift
/// do { try await pipeline.execute { try await client.get(url) } }
/// catch let error as ResilienceError where error.code == .breakerOpen { … }
/// ```
public struct ResilienceError: Error, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation, for logs only.
    public var message: String?
    /// How long the caller should wait before trying again, when the failure says so
    /// (an HTTP `Retry-After`, a rate limiter's hint, the rest of a breaker's break).
    public var retryAfter: Duration?
    /// The error this one classifies, if any.
    public var underlying: (any Error)?
    /// The file that raised the error.
    public var file: String
    /// The line that raised the error.
    public var line: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: An explanation for logs.
    ///   - retryAfter: How long to wait before trying again, if known.
    ///   - underlying: The error being classified, if any.
    ///   - file: The file that raised the error.
    ///   - line: The line that raised the error.
    public init(
        _ code: Code,
        message: String? = nil,
        retryAfter: Duration? = nil,
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// Classifies any error from its typed information.
    ///
    /// A ``ResilienceError`` is returned as it is; a ``ResilienceClassifiable`` error gives its kind and
    /// Retry-After; `CancellationError` is ``Code-swift.struct/cancelled``; anything else is
    /// ``Code-swift.struct/unknown``. Message text is never inspected.
    /// - Parameters:
    ///   - error: The error to classify.
    ///   - file: Where the classification was made, for logs; the caller's file by default.
    ///   - line: The line of `file`; the caller's line by default.
    public init(classifying error: any Error, file: String = #fileID, line: Int = #line) {
        if let error = error as? ResilienceError {
            self = error
        } else {
            self.init(
                Code(classifying: error),
                retryAfter: (error as? any ResilienceClassifiable)?.resilienceRetryAfter,
                underlying: error,
                file: file,
                line: line
            )
        }
    }

    /// Whether the dependency failed or could not be reached; see ``Code-swift.struct/dependencyFailures``.
    public var isDependencyFailure: Bool { code.isDependencyFailure }

    /// The code, the message and the underlying error.
    public var description: String {
        var text = "ResilienceError(\(code)"
        if let message { text += ", \(message)" }
        if let retryAfter { text += ", retryAfter: \(retryAfter)" }
        if let underlying { text += ", underlying: \(underlying)" }
        return text + ")"
    }

    /// The Retry-After hint of any error: a ``ResilienceError``'s, or a ``ResilienceClassifiable``'s.
    /// - Parameter error: The error to look at.
    /// - Returns: The hint, or `nil`.
    public static func retryAfter(of error: any Error) -> Duration? {
        if let error = error as? ResilienceError { return error.retryAfter }
        return (error as? any ResilienceClassifiable)?.resilienceRetryAfter
    }
}
