import Bulwark
import HTTPTypes

/// What ``IdempotencyMiddleware`` guards and how: the header, the methods, the limits and what is replayed.
///
/// Every field has a safe default; ``validate()`` (run by the middleware's initializer) refuses a bad one,
/// naming it.
///
/// ```swift
/// var configuration = IdempotencyMiddlewareConfiguration()
/// configuration.methods = [.post]
/// configuration.maximumBodySize = 64 * 1024
/// ```
public struct IdempotencyMiddlewareConfiguration: Sendable {
    /// The header that carries the key; `Idempotency-Key` by default.
    public var headerName: HTTPField.Name
    /// The methods guarded; POST and PATCH by default. Requests with other methods pass through untouched.
    public var methods: Set<HTTPRequest.Method>
    /// Whether a guarded request without a key is refused with 400 (the default) or passes through unguarded.
    public var requiresKey: Bool
    /// The largest request body read, in bytes; a larger one is refused with 413. 1 MiB by default.
    public var maximumBodySize: Int
    /// The largest response body stored for replay, in bytes; 1 MiB by default. A larger answer is not stored:
    /// the lease is released and the client gets 500, so that the endpoint's limit is found in testing.
    public var maximumResponseSize: Int
    /// The response headers stored and replayed besides the status and the body; `Content-Type`, `Location`,
    /// `Content-Location` and `ETag` by default. At most 32.
    public var replayedHeaders: [HTTPField.Name]
    /// Whether 5xx answers are stored and replayed; `false` by default, so that a client's retry with the same
    /// key runs the handler again.
    public var storesServerErrors: Bool

    /// Creates a configuration; every parameter has the default described above.
    /// - Parameters:
    ///   - headerName: The key's header.
    ///   - methods: The methods guarded.
    ///   - requiresKey: Whether a guarded request must carry a key.
    ///   - maximumBodySize: The largest request body, in bytes.
    ///   - maximumResponseSize: The largest stored response body, in bytes.
    ///   - replayedHeaders: The response headers replayed.
    ///   - storesServerErrors: Whether 5xx answers are stored.
    public init(
        headerName: HTTPField.Name = .idempotencyKey,
        methods: Set<HTTPRequest.Method> = [.post, .patch],
        requiresKey: Bool = true,
        maximumBodySize: Int = 1 << 20,
        maximumResponseSize: Int = 1 << 20,
        replayedHeaders: [HTTPField.Name] = [.contentType, .location, .contentLocation, .eTag],
        storesServerErrors: Bool = false
    ) {
        self.headerName = headerName
        self.methods = methods
        self.requiresKey = requiresKey
        self.maximumBodySize = maximumBodySize
        self.maximumResponseSize = maximumResponseSize
        self.replayedHeaders = replayedHeaders
        self.storesServerErrors = storesServerErrors
    }

    /// Checks every field.
    /// - Throws: `BulwarkError` with code `invalidConfiguration` whose message starts with the field at fault.
    public func validate() throws(BulwarkError) {
        guard !methods.isEmpty else {
            throw BulwarkError(.invalidConfiguration, "methods: name at least one method")
        }
        guard (1...StoredResponse.maximumBodySize).contains(maximumBodySize) else {
            throw BulwarkError(.invalidConfiguration, "maximumBodySize: must be 1 to \(StoredResponse.maximumBodySize) bytes")
        }
        guard (1...StoredResponse.maximumBodySize).contains(maximumResponseSize) else {
            throw BulwarkError(.invalidConfiguration, "maximumResponseSize: must be 1 to \(StoredResponse.maximumBodySize) bytes")
        }
        guard replayedHeaders.count <= StoredResponse.maximumHeaders else {
            throw BulwarkError(.invalidConfiguration, "replayedHeaders: at most \(StoredResponse.maximumHeaders)")
        }
    }
}
