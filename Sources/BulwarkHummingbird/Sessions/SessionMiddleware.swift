import Bulwark
import HTTPTypes
import Hummingbird

/// Reads the session cookie, touches the session in Redis (sliding its idle deadline) and puts it in the
/// request context; sets or clears the cookie when the handler signed in, rotated or signed out.
///
/// ```swift
/// router.add(middleware: try SessionMiddleware(bulwark: bulwark))
/// router.get("/me") { _, context in
///     guard let session = context.session.current else { throw APIError(.unauthorized, "sign in first") }
///     return session.user.value
/// }
/// ```
///
/// Every request reads Redis, so a session revoked on one instance is refused on every other at once. A
/// cookie that names no live session (malformed, expired or revoked) makes the request anonymous and is
/// cleared. While Redis cannot be reached, a request with a session cookie is answered 503: no instance can
/// tell from memory whether the session was revoked. When the handler throws, the cookie change still goes out:
/// the error is rethrown as an ``APIError`` (``APIError/init(mapping:)``) that carries the `Set-Cookie` header.
public struct SessionMiddleware<Context: SessionRequestContext>: RouterMiddleware {
    /// The store the sessions live in.
    public let store: SessionStore
    /// The cookie's name and attributes.
    public let cookie: SessionCookieConfiguration

    /// Creates the middleware over a store.
    /// - Parameters:
    ///   - store: The session store, such as `Bulwark.sessions`.
    ///   - cookie: The cookie's name and attributes; safe defaults.
    /// - Throws: `BulwarkError` with code `invalidConfiguration` naming the bad cookie setting.
    public init(store: SessionStore, cookie: SessionCookieConfiguration = .init()) throws(BulwarkError) {
        do {
            try cookie.validate()
        } catch {
            throw BulwarkError(.invalidConfiguration, "cookie.\(error.message)", underlying: error)
        }
        self.store = store
        self.cookie = cookie
    }

    /// Creates the middleware over a Bulwark's session store.
    /// - Parameters:
    ///   - bulwark: The Bulwark whose `Bulwark.sessions` store keeps the sessions.
    ///   - cookie: The cookie's name and attributes.
    /// - Throws: `BulwarkError` with code `invalidConfiguration` naming the bad cookie setting.
    public init(bulwark: Bulwark, cookie: SessionCookieConfiguration = .init()) throws(BulwarkError) {
        try self.init(store: bulwark.sessions, cookie: cookie)
    }

    /// Puts the request's session in the context and the handler's changes on the cookie.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let supplied = request.cookies[cookie.name]?.value
        var current: Session?
        if let supplied, let id = try? SessionID(supplied) {
            current = try await store.touch(id)
        }
        let session = RequestSession(store: store, current: current)
        if supplied != nil, current == nil { session.clearCookie() }
        context.session = session
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The cookie change still goes out (a dead session's cookie is cleared even on a 401): the error
            // travels on as an `APIError` carrying the header, for the error middleware to answer with.
            guard let value = session.cookieValue else { throw error }
            var apiError = APIError(mapping: error)
            apiError.headers.append(HTTPField(name: .setCookie, value: cookie.cookie(value).description))
            throw apiError
        }
        if let value = session.cookieValue {
            response.setCookie(cookie.cookie(value))
        }
        return response
    }
}
