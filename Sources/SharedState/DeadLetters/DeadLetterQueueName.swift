/// A validated dead-letter queue name: 1 to 64 characters from `A-Z a-z 0-9 . _ -`.
///
/// The name becomes part of the queue's Redis key (`bulwark:dlq:{orders}`) and of admin URLs, so anything
/// that could break either — braces, colons, spaces, slashes — is refused before anything is written.
public struct DeadLetterQueueName: Sendable, Hashable, CustomStringConvertible {
    /// The name.
    public let value: String

    /// Validates a name.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``.
    public init(_ value: String) throws(SharedStateError) {
        guard !value.isEmpty, value.utf8.count <= 64 else {
            throw SharedStateError(.invalidName, "dead-letter queue name must be 1 to 64 characters, got \(value.utf8.count)")
        }
        guard value.utf8.allSatisfy(Self.isAllowed) else {
            throw SharedStateError(.invalidName, "dead-letter queue name '\(value)' may contain only A-Z, a-z, 0-9, '.', '_' and '-'")
        }
        self.value = value
    }

    /// The name.
    public var description: String { value }

    /// The stream that holds the queue, with the name as hash tag so that it maps to one Redis Cluster slot.
    func streamKey(prefix: String) -> String { "\(prefix):dlq:{\(value)}" }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
