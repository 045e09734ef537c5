/// A Redis command, encoded once as RESP and ready to be written.
///
/// ```swift
/// let command = RedisCommand("SET", "user:1", payload, "PX", 30_000)
/// ```
///
/// Only the command's name is kept in clear for logs and errors; arguments can hold secrets and are never
/// logged.
public struct RedisCommand: Sendable {
    /// The command name as given, such as `SET`; used in errors and logs.
    public let name: String
    /// The RESP encoding of the whole command.
    let encoded: [UInt8]
    /// Whether the command changes its connection's state or reply protocol (`SUBSCRIBE`, `MULTI`,
    /// `SELECT`, `CLIENT REPLY`, …): on a shared, pipelined connection it would hand other callers the wrong
    /// replies, so the client refuses it outside the API made for it.
    let changesConnectionState: Bool

    /// Commands that must not run on a pooled connection; `CLIENT REPLY` is checked apart.
    private static let connectionStateCommands: Set<String> = [
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR", "QUIT",
        "RESET", "HELLO", "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "SELECT", "AUTH",
    ]

    private static func changesConnectionState(name: String, firstArgument: String?) -> Bool {
        let upper = name.uppercased()
        return connectionStateCommands.contains(upper) || (upper == "CLIENT" && firstArgument?.uppercased() == "REPLY")
    }

    /// Creates a command from its name and arguments of any convertible types.
    public init<each Argument: RedisArgumentConvertible>(_ name: String, _ arguments: repeat each Argument) {
        var count = 1
        var firstArgument: String?
        for argument in repeat each arguments {
            if count == 1 { firstArgument = argument as? String }
            count += 1
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 + name.utf8.count + 16 * count)
        RESPWriter.appendArrayHeader(count: count, to: &buffer)
        RESPWriter.appendBulk(name, to: &buffer)
        for argument in repeat each arguments {
            RESPWriter.appendBulk(argument, to: &buffer)
        }
        self.name = name
        self.encoded = buffer
        self.changesConnectionState = Self.changesConnectionState(name: name, firstArgument: firstArgument)
    }

    /// Creates a command from its name and a list of arguments of one type.
    public init<Arguments: Collection>(_ name: String, arguments: Arguments) where Arguments.Element: RedisArgumentConvertible {
        var buffer: [UInt8] = []
        RESPWriter.appendArrayHeader(count: arguments.count + 1, to: &buffer)
        RESPWriter.appendBulk(name, to: &buffer)
        for argument in arguments {
            RESPWriter.appendBulk(argument, to: &buffer)
        }
        self.name = name
        self.encoded = buffer
        self.changesConnectionState = Self.changesConnectionState(name: name, firstArgument: arguments.first as? String)
    }

    /// Creates a command from its name and a list of arguments of mixed types.
    public init(_ name: String, argumentList: [any RedisArgumentConvertible]) {
        var buffer: [UInt8] = []
        RESPWriter.appendArrayHeader(count: argumentList.count + 1, to: &buffer)
        RESPWriter.appendBulk(name, to: &buffer)
        for argument in argumentList {
            RESPWriter.appendBulk(argument, to: &buffer)
        }
        self.name = name
        self.encoded = buffer
        self.changesConnectionState = Self.changesConnectionState(name: name, firstArgument: argumentList.first as? String)
    }
}
