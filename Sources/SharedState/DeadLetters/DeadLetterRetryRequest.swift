/// A request, published on ``DeadLetterStore/retryRequestsChannel``, that an instance with a registered handler
/// retry one dead letter: `<token> <queue> <id>`. The answer goes to the requester's own reply channel, named by
/// the token.
struct DeadLetterRetryRequest: Sendable, Hashable {
    /// The requester's random token: 1 to 64 characters from `0-9 a-z`.
    var token: String
    /// The queue of the letter.
    var queue: DeadLetterQueueName
    /// The letter.
    var id: DeadLetterID

    init(token: String, queue: DeadLetterQueueName, id: DeadLetterID) {
        self.token = token
        self.queue = queue
        self.id = id
    }

    /// Parses a message; `nil` for anything malformed.
    init?(message: String) {
        let parts = message.split(separator: " ")
        guard parts.count == 3, (1...64).contains(parts[0].utf8.count),
            parts[0].utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
            ),
            let queue = try? DeadLetterQueueName(String(parts[1])), let id = try? DeadLetterID(String(parts[2]))
        else { return nil }
        self.init(token: String(parts[0]), queue: queue, id: id)
    }

    /// The message to publish.
    var message: String { "\(token) \(queue.value) \(id)" }

    /// A new token of 128 random bits in hexadecimal.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let word = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - word.utf8.count) + word
        }.joined()
    }
}
