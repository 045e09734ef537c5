/// A setting of the orders app was refused: which one, and what is wrong with it (never its value, which may
/// carry a password).
public struct OrdersSettingsError: Error, Sendable, CustomStringConvertible {
    /// The setting's name, such as `PAYMENTS_URL`.
    public var key: String
    /// What is wrong with it.
    public var problem: String

    /// Creates an error.
    /// - Parameters:
    ///   - key: The setting's name.
    ///   - problem: What is wrong with it.
    public init(_ key: String, _ problem: String) {
        self.key = key
        self.problem = problem
    }

    /// `KEY: problem`.
    public var description: String { "\(key): \(problem)" }
}
