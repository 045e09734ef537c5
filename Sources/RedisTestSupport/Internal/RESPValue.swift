/// A RESP2 reply, as far as the fixtures need it.
enum RESPValue: Hashable, Sendable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    case bulkString(String?)
    case array([RESPValue]?)

    /// The text of a simple or bulk string.
    var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let text): text
        default: nil
        }
    }
}

/// Encodes a command as a RESP array of bulk strings.
func encodeRESPCommand(_ arguments: [String]) -> [UInt8] {
    var bytes = Array("*\(arguments.count)\r\n".utf8)
    for argument in arguments {
        let utf8 = Array(argument.utf8)
        bytes += Array("$\(utf8.count)\r\n".utf8)
        bytes += utf8
        bytes += [13, 10]
    }
    return bytes
}
