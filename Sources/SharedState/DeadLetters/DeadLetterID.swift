/// The id of a dead letter: its Redis stream entry id, `<milliseconds>-<sequence>`.
///
/// The milliseconds are Redis's clock when the entry entered the stream, so ids sort by arrival and say how
/// old an entry is. An id is also the cursor of ``DeadLetterStore/list(_:after:limit:)``.
public struct DeadLetterID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Redis time, in milliseconds since 1970, when the entry was added to the stream.
    public let milliseconds: UInt64
    /// The sequence number among entries added in the same millisecond.
    public let sequence: UInt64

    /// Parses an id such as `1732380000000-0`.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName`` when the text is not a
    ///   stream entry id.
    public init(_ text: String) throws(SharedStateError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let milliseconds = UInt64(parts[0]), let sequence = UInt64(parts[1]) else {
            throw SharedStateError(.invalidName, "dead-letter id '\(text)' is not of the form <milliseconds>-<sequence>")
        }
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    /// `<milliseconds>-<sequence>`, as Redis writes it.
    public var description: String { "\(milliseconds)-\(sequence)" }

    /// Orders ids as the stream does: by time, then by sequence.
    public static func < (lhs: DeadLetterID, rhs: DeadLetterID) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }
}
