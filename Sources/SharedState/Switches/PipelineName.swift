/// A validated pipeline name: 1 to 64 characters from `A-Z a-z 0-9 . _ -`, the same rule as a breaker's name
/// (a pipeline made by `Bulwark` shares its name with its breaker).
public struct PipelineName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name.
    public let value: String

    private static let rule = NameRule("pipeline name", maximumBytes: 64, punctuation: "._-")

    /// Validates a name.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        try Self.rule.validate(value)
        self.value = value
    }

    /// The name.
    public var description: String { value }

    /// Orders names by their text.
    public static func < (lhs: PipelineName, rhs: PipelineName) -> Bool { lhs.value < rhs.value }
}
