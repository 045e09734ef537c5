import Hummingbird

/// A request context that carries the request's correlation id, set by ``CorrelationMiddleware``.
///
/// ```swift
/// struct AppContext: CorrelatedRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var correlationID = ""
///     init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
/// }
/// ```
public protocol CorrelatedRequestContext: RequestContext {
    /// The request's correlation id: the caller's `X-Correlation-ID` when valid, a new one otherwise.
    var correlationID: String { get set }
}
