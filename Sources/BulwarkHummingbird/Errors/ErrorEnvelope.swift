import Foundation
import Hummingbird

/// The body of every error response: `{"error":{"code","message","timestamp","correlationId","details"}}`.
struct ErrorEnvelope: Encodable {
    struct Body: Encodable {
        let code: String
        let message: String
        let timestamp: Date
        let correlationId: String
        let details: [String: JSONValue]
    }

    let error: Body

    /// The response for `error`; with `exposesInternalErrors` (development) the underlying error's text is added
    /// under `details.internal`, without it (production) nothing internal leaves.
    static func response(for error: APIError, correlationID: String, exposesInternalErrors: Bool) -> Response {
        let data = body(for: error, correlationID: correlationID, exposesInternalErrors: exposesInternalErrors)
        var headers = error.headers
        headers[.contentType] = "application/json; charset=utf-8"
        if !correlationID.isEmpty { headers[.correlationID] = correlationID }
        if let seconds = error.retryAfterSeconds { headers[.retryAfter] = String(max(1, seconds)) }
        if error.kind == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: error.kind.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The JSON of the envelope.
    static func body(for error: APIError, correlationID: String, exposesInternalErrors: Bool) -> Data {
        var details = error.details
        if exposesInternalErrors, let underlying = error.underlying {
            details["internal"] = .string(String(describing: underlying))
        }
        let envelope = ErrorEnvelope(
            error: Body(code: error.kind.code, message: error.message, timestamp: Date(), correlationId: correlationID, details: details)
        )
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(envelope)) ?? Data(#"{"error":{"code":"internal_error"}}"#.utf8)
    }
}
