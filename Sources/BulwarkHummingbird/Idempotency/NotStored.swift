import HTTPTypes
import Hummingbird

extension Response {
    /// This response, to be sent by ``IdempotencyMiddleware`` without being stored: the key's lease is
    /// released, so a retry with the same key runs the handler again.
    ///
    /// Use it for an answer that must not be replayed, such as a refusal the client can fix and then retry
    /// with the same key:
    ///
    /// ```swift
    /// router.post("/orders") { request, context -> Response in
    ///     guard inStock else { return Response(status: .conflict).notStored() }
    ///     …
    /// }
    /// ```
    /// The mark is a header that the middleware removes before the response leaves.
    public func notStored() -> Response {
        var response = self
        response.headers[NotStoredMark.name] = NotStoredMark.value
        return response
    }
}

/// The header by which ``Hummingbird/Response/notStored()`` tells the middleware not to store a response.
enum NotStoredMark {
    static let name = HTTPField.Name("Bulwark-Idempotency-Not-Stored")!
    static let value = "1"
}
