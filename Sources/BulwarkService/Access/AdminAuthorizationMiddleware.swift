import Hummingbird

/// Lets reads through and makes every change under `/api/v1/` (any method but GET and HEAD) present the admin token as
/// `Authorization: Bearer <token>`. With no token configured, changes are refused (403) rather than open;
/// after repeated wrong tokens, changes are refused for a while (429).
struct AdminAuthorizationMiddleware: RouterMiddleware {
    typealias Context = BulwarkRequestContext

    let token: String?
    let gate = AuthenticationFailureGate()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method != .get, request.method != .head, request.uri.path.hasPrefix("/api/v1/") {
            if let wait = gate.closedFor() {
                throw APIError(
                    .rateLimited,
                    "too many failed admin authentications: changes are refused for a while",
                    retryAfterSeconds: Int((wait / .seconds(1)).rounded(.up))
                )
            }
            do {
                try authorize(request.headers[.authorization])
            } catch let error where error.kind == .unauthorized {
                gate.recordFailure()
                throw error
            }
        }
        return try await next(request, context)
    }

    private func authorize(_ header: String?) throws(APIError) {
        guard let token else {
            throw APIError(.forbidden, "admin changes are disabled on this instance: no admin token is configured (BULWARK_ADMIN_TOKEN)")
        }
        guard let header, header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, "this change needs the header Authorization: Bearer <admin token>")
        }
        guard Self.constantTimeEqual(Array(header.utf8.dropFirst(7)), Array(token.utf8)) else {
            throw APIError(.unauthorized, "the admin token is not valid")
        }
    }

    /// Compares without returning early, so that the time taken does not tell how much of a guess was right.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
