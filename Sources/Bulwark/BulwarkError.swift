/// What ``Bulwark`` throws: a code to compare and a message for people.
///
/// ```swift
/// do { _ = try Bulwark(configuration: configuration) }
/// catch let error as BulwarkError where error.code == .invalidConfiguration { print(error.message) }
/// ```
public struct BulwarkError: Error, CustomStringConvertible {
    /// The kind of error; codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case invalidConfiguration = "invalid-configuration"
            case invalidName = "invalid-name"
            case limitReached = "limit-reached"
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A setting was refused; the message starts with its key.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A pipeline or breaker name was refused.
        public static let invalidName = Code(.invalidName)
        /// A bounded collection is full, such as the pipelines and shared breakers of one ``Bulwark``
        /// (`SharedBreakerOptions.maxBreakers`): names should not grow without bound.
        public static let limitReached = Code(.limitReached)

        /// The stable name, such as `invalid-configuration`.
        public var description: String { backing.rawValue }
    }

    /// The kind of error.
    public var code: Code
    /// What was wrong, naming the setting at fault; never a password.
    public var message: String
    /// The error this one reports, if any.
    public var underlying: (any Error)?
    /// The file that raised the error.
    public var file: String
    /// The line that raised the error.
    public var line: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of error.
    ///   - message: What was wrong.
    ///   - underlying: The error reported, if any.
    ///   - file: The file that raised it.
    ///   - line: The line that raised it.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// The code and the message.
    public var description: String { "BulwarkError(\(code)): \(message)" }
}
