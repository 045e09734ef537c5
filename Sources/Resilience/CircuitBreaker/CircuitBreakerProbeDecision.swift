/// The authority's answer to a request for a half-open probe permit.
public enum CircuitBreakerProbeDecision: Sendable, Hashable {
    /// The probe may run; its permit counts against the cluster-wide limit.
    case granted
    /// No permit is left: the call is rejected.
    case denied
    /// The authority cannot answer (unreachable): the breaker applies its own local limit.
    case decideLocally
}
