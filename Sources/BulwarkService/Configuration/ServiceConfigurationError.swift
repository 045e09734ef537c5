/// A configuration the service refuses to start with. The message names the key and never its value,
/// so that a mistyped secret does not reach the log.
public struct ServiceConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, naming the key.
    public let message: String

    static func invalid(_ key: String, _ problem: String) -> ServiceConfigurationError {
        ServiceConfigurationError(message: "configuration key '\(key)': \(problem)")
    }

    /// The message.
    public var description: String { message }
}
