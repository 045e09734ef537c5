/// A session id: 256 random bits written as 64 lowercase hexadecimal characters.
///
/// Ids come from the system's cryptographically secure generator (`SystemRandomNumberGenerator`) and carry
/// no meaning: nothing about the user or the time can be read from one. An id from a client is parsed with
/// ``init(_:)`` before it goes anywhere near Redis, so a malformed one never costs a round trip.
///
/// ``description`` shows only the first eight characters, so that an id interpolated into a log line or an
/// error message does not hand the session to whoever reads the logs; ``value`` is the whole id.
public struct SessionID: Sendable, Hashable, CustomStringConvertible {
    /// The number of characters of an id.
    public static let length = 64

    /// The id: 64 lowercase hexadecimal characters.
    public let value: String

    /// Parses an id.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName`` unless `value` is exactly
    ///   64 characters from `0-9 a-f`.
    public init(_ value: String) throws(SharedStateError) {
        guard value.utf8.count == Self.length, value.utf8.allSatisfy(Self.isLowercaseHex) else {
            throw SharedStateError(.invalidName, "a session id must be \(Self.length) characters from 0-9 and a-f")
        }
        self.value = value
    }

    private init(unchecked value: String) {
        self.value = value
    }

    /// A new id of 256 bits from `SystemRandomNumberGenerator`.
    static func random() -> SessionID {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        text.reserveCapacity(length)
        for _ in 0..<4 {
            let word = String(generator.next() as UInt64, radix: 16)
            text += String(repeating: "0", count: 16 - word.utf8.count) + word
        }
        return SessionID(unchecked: text)
    }

    /// The first eight characters and an ellipsis: enough to tell sessions apart in logs, not to use one.
    public var description: String { String(value.prefix(8)) + "…" }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): true
        default: false
        }
    }
}
