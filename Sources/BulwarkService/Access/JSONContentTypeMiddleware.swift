import Foundation
import Hummingbird

/// A change that carries a body must say `Content-Type: application/json` (415 otherwise): browsers send
/// cross-site form posts as `text/plain`, `application/x-www-form-urlencoded` or `multipart/form-data`, which
/// this refuses before any handler reads them.
struct JSONContentTypeMiddleware: RouterMiddleware {
    typealias Context = BulwarkRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.hasBody(request), !Self.isJSON(request.headers[.contentType]) {
            throw APIError(
                .unsupportedMediaType,
                "a change with a body needs Content-Type: application/json",
                details: ["header": "Content-Type"]
            )
        }
        return try await next(request, context)
    }

    /// A body is announced by a non-zero `Content-Length` or by any `Transfer-Encoding`.
    static func hasBody(_ request: Request) -> Bool {
        if request.headers[.transferEncoding] != nil { return true }
        guard let length = request.headers[.contentLength] else { return false }
        return length.trimmingCharacters(in: .whitespaces) != "0"
    }

    /// `application/json`, in any case, with or without parameters such as `charset`.
    static func isJSON(_ value: String?) -> Bool {
        guard let value else { return false }
        let mediaType = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
