import Foundation
import Hummingbird
import Logging
import SharedState

/// `GET /api/v1/sessions?user=U` and `POST /api/v1/sessions/revoke` with `{"user":"U"}` (all of a user's
/// sessions) or `{"id":"…"}` (one). Session ids are bearer secrets: lists show only their first 8
/// characters, and an id to revoke travels in the body, never in a URL that access logs keep.
struct SessionRoutes {
    let components: ServiceComponents

    func register(on routes: RouteRegistrar) {
        routes.read("api/v1/sessions") { request, _ in
            let user = try SessionUser(try request.requiredQuery("user"))
            let sessions = try await components.sessions.sessions(user: user)
            return JSONBody(SessionList(user: user.value, sessions: sessions.map(SessionView.init))).response(status: .ok)
        }
        routes.change("api/v1/sessions/revoke") { request, context in
            let body = try await request.decodeBody(as: RevocationRequest.self, context: context)
            let revoked: Int
            switch (body.user, body.id) {
            case (let user?, nil):
                revoked = try await components.sessions.revokeAll(user: try SessionUser(user))
            case (nil, let id?):
                revoked = try await components.sessions.revoke(try SessionID(id)) ? 1 : 0
            default:
                throw APIError(.validation, "give exactly one of 'user' or 'id'")
            }
            context.logger.notice("operator revoked sessions", metadata: ["session.revoked": "\(revoked)"])
            return JSONBody(["revoked": revoked]).response(status: .ok)
        }
    }
}

/// The body of `POST /api/v1/sessions/revoke`.
struct RevocationRequest: Decodable {
    let user: String?
    let id: String?
}

/// A user's sessions.
struct SessionList: Encodable {
    let user: String
    let sessions: [SessionView]
}

/// One session, with its id shortened to a handle.
struct SessionView: Encodable {
    let idPrefix: String
    let createdAt: Date
    let expiresAt: Date
    let absoluteExpiry: Date
    let attributes: [String]

    init(_ session: Session) {
        idPrefix = String(session.id.value.prefix(8))
        createdAt = Date(timeIntervalSince1970: Double(session.createdAtMilliseconds) / 1_000)
        expiresAt = Date(timeIntervalSince1970: Double(session.expiresAtMilliseconds) / 1_000)
        absoluteExpiry = Date(timeIntervalSince1970: Double(session.absoluteExpiryMilliseconds) / 1_000)
        attributes = session.attributes.keys.sorted()
    }
}
