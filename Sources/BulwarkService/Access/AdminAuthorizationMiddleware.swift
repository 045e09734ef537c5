import Hummingbird

/// The admin token check on the routes declared a change (see ``RouteRegistrar``): they must present
/// `Authorization: Bearer <token>`.
///
/// - No token configured: every change is refused (403).
/// - No bearer credentials: 401, not counted — a stranger's request is no guess.
/// - A wrong token: 401, counted against the client's address; after too many, that address gets 429 for a
///   while (the right token too, so a guesser gains nothing by continuing). Other addresses are not affected:
///   the right token from elsewhere is never refused because of someone else's guesses.
struct AdminAuthorizationMiddleware: RouterMiddleware {
    typealias Context = BulwarkRequestContext

    let token: String?
    let gate: AuthenticationFailureGate

    init(token: String?, gate: AuthenticationFailureGate = AuthenticationFailureGate()) {
        self.token = token
        self.gate = gate
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else {
            throw APIError(.forbidden, "admin changes are disabled on this instance: no admin token is configured (BULWARK_ADMIN_TOKEN)")
        }
        guard let presented = Self.bearerCredentials(request.headers[.authorization]) else {
            throw APIError(.unauthorized, "this change needs the header Authorization: Bearer <admin token>")
        }
        let client = context.clientAddress
        if let wait = gate.closedFor(client) {
            throw APIError(
                .rateLimited,
                "too many failed admin authentications from this address: changes are refused for a while",
                retryAfterSeconds: Int((wait / .seconds(1)).rounded(.up))
            )
        }
        guard Self.constantTimeEqual(Array(presented.utf8), Array(token.utf8)) else {
            gate.recordFailure(client)
            throw APIError(.unauthorized, "the admin token is not valid")
        }
        return try await next(request, context)
    }

    /// The credentials of `Bearer <credentials>` (the scheme in any case), or nil when there are none.
    static func bearerCredentials(_ header: String?) -> Substring? {
        guard let header, header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let credentials = header.dropFirst(7).drop { $0 == " " }
        return credentials.isEmpty ? nil : credentials
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
