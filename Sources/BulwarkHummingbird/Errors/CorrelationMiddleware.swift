import Foundation
import Hummingbird
import Logging
import Resilience

/// Gives every request a correlation id (the caller's `X-Correlation-ID` when valid, a new one otherwise),
/// puts it in every log line of the request and on the response, and turns every error into the envelope
/// `{"error":{"code","message","timestamp","correlationId","details"}}` (see ``APIError/init(mapping:)``).
///
/// Add it first, so that it wraps every other middleware and route:
///
/// ```swift
/// let router = Router(context: AppContext.self)
/// router.add(middleware: CorrelationMiddleware())
/// ```
///
/// A supplied id that is not 1 to 128 characters from `A-Z a-z 0-9 - _ . :` is refused with 400. Errors of
/// status 500 and above are logged at error with their underlying text; the others at info.
public struct CorrelationMiddleware<Context: CorrelatedRequestContext>: RouterMiddleware {
    /// Whether error bodies carry the underlying error's text under `details.internal` (development only).
    public let exposesInternalErrors: Bool

    /// Creates the middleware.
    /// - Parameter exposesInternalErrors: Whether error bodies carry the underlying error's text; `false`
    ///   (production: nothing internal leaves) by default.
    public init(exposesInternalErrors: Bool = false) {
        self.exposesInternalErrors = exposesInternalErrors
    }

    /// Sets the correlation id, runs the rest of the chain, and answers its errors with the envelope.
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let supplied = request.headers[.correlationID]
        let valid = supplied.map(Self.isValid) ?? false
        context.correlationID = valid ? supplied ?? "" : UUID().uuidString.lowercased()
        context.logger[metadataKey: "correlation_id"] = .string(context.correlationID)
        do {
            if supplied != nil, !valid {
                throw APIError(
                    .validation,
                    "X-Correlation-ID must be 1 to 128 letters, digits, '-', '_', '.' or ':'",
                    details: ["header": "X-Correlation-ID"]
                )
            }
            var response = try await next(request, context)
            response.headers[.correlationID] = context.correlationID
            return response
        } catch {
            let apiError = APIError(mapping: error)
            let metadata: Logger.Metadata = [
                "http.method": "\(request.method)", "http.path": "\(LogEscaping.escaped(request.uri.path, limit: 256))",
                "error.code": "\(apiError.kind.code)", "http.status": "\(apiError.kind.status.code)",
            ]
            if apiError.kind.status.code >= 500 {
                context.logger.error("request failed: \(apiError.underlying.map { String(describing: $0) } ?? apiError.message)", metadata: metadata)
            } else {
                context.logger.info("request refused: \(apiError.message)", metadata: metadata)
            }
            return ErrorEnvelope.response(for: apiError, correlationID: context.correlationID, exposesInternalErrors: exposesInternalErrors)
        }
    }

    /// 1 to 128 characters from a conservative set, so that the id is safe in headers and logs.
    static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128
            && id.utf8.allSatisfy { byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 45 || byte == 95 || byte == 46
                    || byte == 58
            }
    }
}
