import Hummingbird

/// A request context that carries the request's session, set by ``SessionMiddleware``.
///
/// ```swift
/// struct AppContext: SessionRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var session = RequestSession()
///     init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
/// }
/// router.get("/me") { _, context in context.session.current?.user.value ?? "anonymous" }
/// ```
public protocol SessionRequestContext: RequestContext {
    /// The request's session: who is signed in, and the calls that sign in, rotate and sign out.
    var session: RequestSession { get set }
}
