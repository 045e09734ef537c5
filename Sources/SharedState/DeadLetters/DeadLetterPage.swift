/// One page of a dead-letter queue, oldest first.
public struct DeadLetterPage: Sendable, Hashable {
    /// The entries of this page, in stream order.
    public var letters: [DeadLetter]
    /// The cursor for the next page (pass it as `after:`), or `nil` when this page is the last.
    public var nextCursor: DeadLetterID?

    /// Creates a page.
    public init(letters: [DeadLetter], nextCursor: DeadLetterID?) {
        self.letters = letters
        self.nextCursor = nextCursor
    }
}
