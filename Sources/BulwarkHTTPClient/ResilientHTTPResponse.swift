import NIOCore
import NIOHTTP1

/// An answer of ``ResilientHTTPClient``: the last attempt's status, headers and whole body.
///
/// Every status comes back as a response, not as an error: a 404 at once, a 503 after the retries gave up.
/// Check ``status`` as with any HTTP client.
///
/// ```swift
/// let response = try await client.get("https://api.example.com/orders/42")
/// if response.status == .ok { print(String(buffer: response.body)) }
/// ```
public struct ResilientHTTPResponse: Sendable {
    /// The status.
    public var status: HTTPResponseStatus
    /// The headers.
    public var headers: HTTPHeaders
    /// The body, read whole (at most ``ResilientHTTPClientConfiguration/maxResponseBodyBytes``).
    public var body: ByteBuffer

    /// Creates a response.
    /// - Parameters:
    ///   - status: The status.
    ///   - headers: The headers.
    ///   - body: The body.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
