extension CircuitBreaker {
    /// Leave to run one call, returned by ``CircuitBreaker/acquirePermit()`` and handed back with its outcome.
    ///
    /// Record exactly one outcome per permit: ``CircuitBreaker/recordSuccess(_:)``,
    /// ``CircuitBreaker/recordFailure(_:error:)`` or ``CircuitBreaker/release(_:)``.
    public struct Permit: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            case normal
            case probe(byAuthority: Bool)
            case untracked
        }

        /// The breaker generation the permit was granted in; outcomes of older generations do not move the state.
        public let generation: UInt64
        let kind: Kind
        let start: Int64

        init(generation: UInt64, kind: Kind, start: Int64) {
            self.generation = generation
            self.kind = kind
            self.start = start
        }

        /// Whether this is a half-open probe.
        public var isProbe: Bool {
            if case .probe = kind { return true }
            return false
        }
    }
}
