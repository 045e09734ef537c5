/// Parses one RESP2 reply from the front of a buffer, nested arrays included.
///
/// ``parse(_:)`` returns `nil` while the buffer holds only part of a reply, so a reader appends what it
/// receives and tries again.
struct RESPParser {
    /// A reply that cannot be RESP.
    struct Malformed: Error, Hashable, Sendable {
        /// What was wrong.
        var reason: String
    }

    /// The parsed reply and how many bytes it used, or `nil` if `bytes` holds no complete reply yet.
    static func parse(_ bytes: [UInt8]) throws(Malformed) -> (value: RESPValue, consumed: Int)? {
        var index = 0
        guard let value = try parseValue(bytes, at: &index) else { return nil }
        return (value, index)
    }

    private static func parseValue(_ bytes: [UInt8], at index: inout Int) throws(Malformed) -> RESPValue? {
        guard index < bytes.count else { return nil }
        let type = bytes[index]
        var cursor = index + 1
        guard let line = readLine(bytes, at: &cursor) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            index = cursor
            return .simpleString(line)
        case UInt8(ascii: "-"):
            index = cursor
            return .error(line)
        case UInt8(ascii: ":"):
            guard let number = Int(line) else { throw Malformed(reason: "bad integer \(line)") }
            index = cursor
            return .integer(number)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1 else { throw Malformed(reason: "bad bulk length \(line)") }
            if length == -1 {
                index = cursor
                return .bulkString(nil)
            }
            guard bytes.count >= cursor + length + 2 else { return nil }
            guard bytes[cursor + length] == 13, bytes[cursor + length + 1] == 10 else {
                throw Malformed(reason: "bulk string without CRLF")
            }
            let text = String(decoding: bytes[cursor..<cursor + length], as: UTF8.self)
            index = cursor + length + 2
            return .bulkString(text)
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1 else { throw Malformed(reason: "bad array length \(line)") }
            if count == -1 {
                index = cursor
                return .array(nil)
            }
            var elements: [RESPValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count {
                guard let element = try parseValue(bytes, at: &cursor) else { return nil }
                elements.append(element)
            }
            index = cursor
            return .array(elements)
        default:
            throw Malformed(reason: "unknown type byte \(type)")
        }
    }

    /// The text up to the next CRLF, advancing past it, or `nil` if there is no CRLF yet.
    private static func readLine(_ bytes: [UInt8], at cursor: inout Int) -> String? {
        var end = cursor
        while end + 1 < bytes.count {
            if bytes[end] == 13 && bytes[end + 1] == 10 {
                let line = String(decoding: bytes[cursor..<end], as: UTF8.self)
                cursor = end + 2
                return line
            }
            end += 1
        }
        return nil
    }
}
