/// Which shared circuit breaker guards a request.
///
/// ```swift
/// configuration.breakers = .perAuthority            // the default: one per scheme + host + port
/// configuration.breakers = .named("payments-api")   // one for every authority this client calls
/// ```
public enum BreakerNaming: Sendable {
    /// One breaker per authority, named ``HTTPAuthority/name`` (`http.https.api.example.com.443`), the same on
    /// every instance: a failing host never opens the breaker of another.
    case perAuthority
    /// One breaker of this name for every request of the client (1 to 64 characters from `A-Z a-z 0-9 . _ -`).
    case named(String)
    /// The breaker name that `name` gives each authority; it must be a valid breaker name and should be the
    /// same on every instance.
    case custom(@Sendable (HTTPAuthority) -> String)

    /// The breaker's name for `authority`.
    func name(for authority: HTTPAuthority) -> String {
        switch self {
        case .perAuthority: authority.name
        case .named(let name): name
        case .custom(let name): name(authority)
        }
    }
}
