/// The length and characters a name may have, checked before the name reaches Redis.
///
/// Names become parts of Redis keys (often inside a `{hash tag}`), of pub/sub messages and of URLs, so only
/// letters, digits and a few safe punctuation marks are allowed; the error says which.
struct NameRule: Sendable {
    /// What the name is, for messages: `breaker name`, `session user`.
    let what: String
    /// The longest name, in bytes.
    let maximumBytes: Int
    /// The punctuation allowed besides `A-Z a-z 0-9`.
    let punctuation: [UInt8]

    init(_ what: String, maximumBytes: Int, punctuation: String) {
        self.what = what
        self.maximumBytes = maximumBytes
        self.punctuation = Array(punctuation.utf8)
    }

    /// Checks a name.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName``, saying what is allowed.
    func validate(_ value: String) throws(SharedStateError) {
        guard !value.isEmpty, value.utf8.count <= maximumBytes else {
            throw SharedStateError(.invalidName, "\(what) must be 1 to \(maximumBytes) characters, got \(value.utf8.count)")
        }
        guard value.utf8.allSatisfy(isAllowed) else {
            let marks = punctuation.map { "'\(Character(Unicode.Scalar($0)))'" }
            let list = (["A-Z", "a-z", "0-9"] + marks.dropLast()).joined(separator: ", ") + (marks.last.map { " and \($0)" } ?? "")
            throw SharedStateError(.invalidName, "\(what) '\(value)' may contain only \(list)")
        }
    }

    private func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: punctuation.contains(byte)
        }
    }
}
