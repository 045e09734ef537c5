/// An error of the shared-state layer.
///
/// Callers compare ``code``; messages are for people and never contain secrets.
public struct SharedStateError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case invalidName
            case invalidConfiguration
            case unexpectedReply
            case storeUnavailable
            case limitReached
        }

        private let backing: Backing
        private init(_ backing: Backing) { self.backing = backing }

        /// A breaker, key or queue name is malformed.
        public static let invalidName = Code(.invalidName)
        /// A configuration value is out of range.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// Redis answered in a shape the store does not understand.
        public static let unexpectedReply = Code(.unexpectedReply)
        /// Redis could not be reached; ``SharedStateError/underlying`` says why.
        public static let storeUnavailable = Code(.storeUnavailable)
        /// A bounded collection is full, such as a registry holding ``SharedBreakerOptions/maxBreakers`` breakers.
        public static let limitReached = Code(.limitReached)

        /// The code's name.
        public var description: String { String(describing: backing) }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The error behind this one, such as a `RedisClientError`.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
