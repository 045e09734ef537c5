import Bulwark
import BulwarkHummingbird
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RedisClient
import RedisTestSupport
import Testing

/// Sessions on two instances sharing one Redis: the cookie, sliding touch, rotation on sign-in, and a
/// revocation that holds at once on every instance.
@Suite(.serialized) struct SessionMiddlewareTests {
    private static let cookieName = "bulwark_session"

    /// `POST /login?user=`, `GET /me` (the user and the session's idle deadline, or 401), `POST /logout`,
    /// `POST /cart?items=` (an attribute), behind the correlation and session middleware.
    private static func router(_ bulwark: Bulwark, _ instance: String) throws -> Router<TestContext> {
        let router = Router(context: TestContext.self)
        router.add(middleware: CorrelationMiddleware())
        router.add(middleware: try SessionMiddleware(bulwark: bulwark))
        router.post("/login") { request, context -> String in
            let user = try SessionUser(request.uri.queryParameters["user"].map(String.init) ?? "")
            let session = try await context.session.signIn(user, attributes: ["signed-in-at": instance])
            return session.user.value
        }
        router.get("/me") { _, context -> String in
            guard let session = context.session.current else { throw APIError(.unauthorized, "sign in first") }
            return "\(session.user.value) \(session.expiresAtMilliseconds) \(session.attributes["cart"] ?? "-")"
        }
        router.post("/cart") { request, context -> HTTPResponse.Status in
            let items = request.uri.queryParameters["items"].map(String.init) ?? "0"
            return try await context.session.setAttributes(["cart": items]) ? .noContent : .unauthorized
        }
        router.post("/logout") { _, context -> HTTPResponse.Status in
            try await context.session.signOut() ? .noContent : .unauthorized
        }
        return router
    }

    private func cookie(_ value: String) -> HTTPFields { [.cookie: "\(Self.cookieName)=\(value)"] }

    @Test func aSessionCreatedOnOneInstanceIsTouchedAndRevokedOnTheOther() async throws {
        try await Fleet.run(router: Self.router) { fleet, a, b in
            let login = try await a.execute(uri: "/login?user=alice", method: .post)
            #expect(login.status == .ok)
            let set = try #require(login.setCookie(Self.cookieName))
            #expect(set.value.utf8.count == 64)
            for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
                #expect(set.line.contains(attribute), "Set-Cookie: \(set.line)")
            }
            #expect(!set.line.contains("Max-Age"))

            let first = try await b.execute(uri: "/me", method: .get, headers: cookie(set.value))
            #expect(first.status == .ok)
            #expect(first.text.hasPrefix("alice "))
            #expect(first.setCookie(Self.cookieName) == nil, "an unchanged session leaves the cookie alone")
            // Each request slides the idle deadline: wait until one lands in a later millisecond.
            let deadline = { (response: TestResponse) in Int64(response.text.split(separator: " ")[1]) ?? 0 }
            try await waitUntil("a later request slid the deadline") {
                let later = try await b.execute(uri: "/me", method: .get, headers: cookie(set.value))
                return deadline(later) > deadline(first)
            }
            #expect(try await a.execute(uri: "/cart?items=3", method: .post, headers: cookie(set.value)).status == .noContent)
            #expect(try await b.execute(uri: "/me", method: .get, headers: cookie(set.value)).text.hasSuffix(" 3"))

            let logout = try await b.execute(uri: "/logout", method: .post, headers: cookie(set.value))
            #expect(logout.status == .noContent)
            #expect(logout.setCookie(Self.cookieName)?.value == "")
            #expect(logout.setCookie(Self.cookieName)?.line.contains("Max-Age=0") == true)
            // Revoked on B, refused on A at once: every request reads Redis.
            let after = try await a.execute(uri: "/me", method: .get, headers: cookie(set.value))
            #expect(after.status == .unauthorized)
            #expect(after.errorCode == "unauthorized")
            #expect(after.setCookie(Self.cookieName)?.line.contains("Max-Age=0") == true, "a dead session's cookie is cleared")
            #expect(try await fleet.bulwarks[0].sessions.touch(SessionID(set.value)) == nil)
        }
    }

    @Test func signingInRotatesTheIdSoAnIDLearnedBeforeIsWorthless() async throws {
        try await Fleet.run(router: Self.router) { fleet, a, b in
            let first = try #require(try await a.execute(uri: "/login?user=alice", method: .post).setCookie(Self.cookieName)).value
            #expect(try await a.execute(uri: "/cart?items=2", method: .post, headers: cookie(first)).status == .noContent)
            let again = try await b.execute(uri: "/login?user=alice", method: .post, headers: cookie(first))
            let second = try #require(again.setCookie(Self.cookieName)).value
            #expect(second != first)
            #expect(try await a.execute(uri: "/me", method: .get, headers: cookie(first)).status == .unauthorized)
            let me = try await a.execute(uri: "/me", method: .get, headers: cookie(second))
            #expect(me.text.hasPrefix("alice ") && me.text.hasSuffix(" 2"), "rotation keeps the session's attributes")
            // Another user signing in on the same browser gets a new session; alice's ends.
            let bob = try #require(try await b.execute(uri: "/login?user=bob", method: .post, headers: cookie(second)).setCookie(Self.cookieName))
                .value
            #expect(try await a.execute(uri: "/me", method: .get, headers: cookie(second)).status == .unauthorized)
            #expect(try await a.execute(uri: "/me", method: .get, headers: cookie(bob)).text.hasPrefix("bob "))
            #expect(try await fleet.bulwarks[1].sessions.sessions(user: SessionUser("alice")).isEmpty)
        }
    }

    @Test func aMalformedCookieIsAnonymousClearedAndCostsNothing() async throws {
        try await Fleet.run(router: Self.router) { fleet, a, _ in
            for value in ["not-a-session", String(repeating: "A", count: 64), "%7F", String(repeating: "f", count: 65)] {
                let response = try await a.execute(uri: "/me", method: .get, headers: cookie(value))
                #expect(response.status == .unauthorized)
                #expect(response.setCookie(Self.cookieName)?.line.contains("Max-Age=0") == true, "cookie \(value.debugDescription)")
            }
            for headers in [HTTPFields(), cookie("")] {
                let anonymous = try await a.execute(uri: "/me", method: .get, headers: headers)
                #expect(anonymous.status == .unauthorized)
                #expect(anonymous.setCookie(Self.cookieName) == nil, "no cookie, nothing to clear")
            }
            #expect(try await a.execute(uri: "/login?user=bad%20name", method: .post).status == .badRequest)
            #expect(try await fleet.bulwarks[0].sessions.activeCount() == 0)
        }
    }

    @Test func withRedisAwayASessionCookieIs503AndAnonymousRequestsStillPass() async throws {
        try await Fleet.run(router: Self.router) { fleet, a, _ in
            let set = try #require(try await a.execute(uri: "/login?user=alice", method: .post).setCookie(Self.cookieName))
            try await fleet.server.stop()
            let refused = try await a.execute(uri: "/me", method: .get, headers: cookie(set.value))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.errorCode == "dependency_unavailable")
            #expect(refused.setCookie(Self.cookieName) == nil, "a session that may be live keeps its cookie")
            #expect(try await a.execute(uri: "/me", method: .get).status == .unauthorized)
        }
    }

    @Test func unsafeCookieSettingsAreRefusedNamingTheField() throws {
        let bulwark = try Bulwark(redisURL: "redis://127.0.0.1:1")
        let cases: [(SessionCookieConfiguration, String)] = [
            (.init(name: "bad name"), "cookie.name:"),
            (.init(name: ""), "cookie.name:"),
            (.init(secure: false, sameSite: .none), "cookie.sameSite:"),
            (.init(path: "relative"), "cookie.path:"),
            (.init(domain: "a;b"), "cookie.domain:"),
        ]
        for (cookie, field) in cases {
            #expect {
                _ = try SessionMiddleware<TestContext>(bulwark: bulwark, cookie: cookie)
            } throws: { error in
                (error as? BulwarkError)?.code == .invalidConfiguration && (error as? BulwarkError)?.message.hasPrefix(field) == true
            }
        }
        bulwark.client.shutdown()
    }
}
