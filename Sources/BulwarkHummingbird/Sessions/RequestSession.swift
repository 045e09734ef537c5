import Bulwark
import Synchronization

/// The session of one request, as ``SessionMiddleware`` found it, and the calls that change it.
///
/// The session was touched when the request arrived, so it is live in Redis and its idle deadline slid.
/// A change made here is set on the response's cookie by the middleware once the handler returns.
///
/// ```swift
/// router.post("/login") { request, context in
///     let user = try await authenticate(request)
///     try await context.session.signIn(user)   // a new id: one learned before signing in is worthless
///     return Response(status: .noContent)
/// }
/// ```
public struct RequestSession: Sendable {
    private let store: SessionStore?
    private let state: State

    /// No session and no store: the value a context starts with, before ``SessionMiddleware`` sets it.
    /// Its calls that change the session throw, naming the missing middleware.
    public init() {
        store = nil
        state = State(current: nil)
    }

    init(store: SessionStore, current: Session?) {
        self.store = store
        state = State(current: current)
    }

    /// The live session, or `nil` when the request is anonymous (no cookie, or one whose session expired or
    /// was revoked, on any instance).
    public var current: Session? { state.current }

    /// Signs `user` in: a session that belongs to `user` already gets a new id (`SessionStore.rotate(_:)`,
    /// keeping its attributes); any other session is revoked and a new one created. The response sets the
    /// cookie to the new id.
    /// - Parameters:
    ///   - user: Who signs in.
    ///   - attributes: The attributes of a new session.
    /// - Returns: The signed-in session.
    /// - Throws: `SharedStateError` when Redis cannot be reached (the request then answers 503).
    @discardableResult
    public func signIn(_ user: SessionUser, attributes: [String: String] = [:]) async throws -> Session {
        let store = try requireStore()
        if let current = state.current {
            if current.user == user, let rotated = try await store.rotate(current.id) {
                if !attributes.isEmpty { try await store.setAttributes(rotated.id, attributes) }
                return state.set(rotated, attributes: attributes)
            }
            try await store.revoke(current.id)
        }
        return state.set(try await store.create(user: user, attributes: attributes), attributes: [:])
    }

    /// Gives the current session a new id (after a change of privilege), the old one ending at once.
    /// - Returns: The session under its new id, or `nil` when the request has no live session.
    /// - Throws: `SharedStateError` when Redis cannot be reached.
    @discardableResult
    public func rotate() async throws -> Session? {
        let store = try requireStore()
        guard let current = state.current else { return nil }
        guard let rotated = try await store.rotate(current.id) else {
            state.clear()
            return nil
        }
        return state.set(rotated, attributes: [:])
    }

    /// Sets attributes of the current session (only the named ones are written).
    /// - Returns: Whether there was a live session to write to.
    /// - Throws: `SharedStateError` for an invalid attribute name or when Redis cannot be reached.
    @discardableResult
    public func setAttributes(_ attributes: [String: String]) async throws -> Bool {
        let store = try requireStore()
        guard let current = state.current else { return false }
        guard try await store.setAttributes(current.id, attributes) else {
            state.clear()
            return false
        }
        state.merge(attributes)
        return true
    }

    /// Signs out: revokes the session on every instance at once and clears the cookie.
    /// - Returns: Whether there was a live session.
    /// - Throws: `SharedStateError` when Redis cannot be reached.
    @discardableResult
    public func signOut() async throws -> Bool {
        let store = try requireStore()
        guard let current = state.current else { return false }
        state.clear()
        return try await store.revoke(current.id)
    }

    /// What the response's cookie must say: `nil` to leave it, an id to set, an empty string to clear it.
    var cookieValue: String? { state.cookieValue }

    /// Forgets the request's cookie, which named no live session.
    func clearCookie() { state.clear() }

    private func requireStore() throws(APIError) -> SessionStore {
        guard let store else {
            throw APIError(.internal, "sessions are used on a route without SessionMiddleware")
        }
        return store
    }

    /// The session and the cookie change, shared by every copy of the context (a handler's copy included).
    private final class State: Sendable {
        private let value: Mutex<(current: Session?, cookie: String?)>

        init(current: Session?) {
            value = Mutex((current, nil))
        }

        var current: Session? { value.withLock { $0.current } }
        var cookieValue: String? { value.withLock { $0.cookie } }

        func set(_ session: Session, attributes: [String: String]) -> Session {
            var session = session
            session.attributes.merge(attributes) { $1 }
            value.withLock { $0 = (session, session.id.value) }
            return session
        }

        func merge(_ attributes: [String: String]) {
            value.withLock { $0.current?.attributes.merge(attributes) { $1 } }
        }

        func clear() {
            value.withLock { $0 = (nil, "") }
        }
    }
}
