/// A validated dead-letter queue name: 1 to 64 characters from `A-Z a-z 0-9 . _ -`.
///
/// The name becomes part of the queue's Redis key (`bulwark:dlq:{orders}`) and of admin URLs, so anything
/// that could break either — braces, colons, spaces, slashes — is refused before anything is written.
public struct DeadLetterQueueName: Sendable, Hashable, CustomStringConvertible {
    /// The name.
    public let value: String

    private static let rule = NameRule("dead-letter queue name", maximumBytes: 64, punctuation: "._-")

    /// Validates a name.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        try Self.rule.validate(value)
        self.value = value
    }

    /// The name.
    public var description: String { value }

    /// The stream that holds the queue, with the name as hash tag so that it maps to one Redis Cluster slot.
    func streamKey(prefix: String) -> String { "\(prefix):dlq:{\(value)}" }

    /// The sorted set of the queue's letters taken for a retry, scored by the end of their lease.
    func leasesKey(prefix: String) -> String { streamKey(prefix: prefix) + ":leases" }

    /// What comes before a letter's id in the key of the hash that keeps a taken letter's fields.
    func takenPrefix(prefix: String) -> String { streamKey(prefix: prefix) + ":taken:" }
}
