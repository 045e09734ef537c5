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
    /// Whether Redis may hold the reply back until something happens (`BLPOP`, `XREAD … BLOCK`, `WAIT`, …):
    /// on a shared connection every caller queued behind it would wait too, so the client refuses it.
    let blocks: Bool

    /// Commands that must not run on a pooled connection; `CLIENT REPLY` is checked apart.
    private static let connectionStateCommands: Set<String> = [
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR", "QUIT",
        "RESET", "HELLO", "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "SELECT", "AUTH",
    ]

    /// Commands that block their connection until data arrives or a timeout passes.
    private static let blockingCommands: Set<String> = [
        "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF",
    ]

    /// Whether `name` with these arguments blocks; `XREAD` and `XREADGROUP` block only with `BLOCK`.
    private static func blocks(name: String, arguments: [String]) -> Bool {
        let upper = name.uppercased()
        if blockingCommands.contains(upper) { return true }
        guard upper == "XREAD" || upper == "XREADGROUP" else { return false }
        return arguments.contains { $0.uppercased() == "BLOCK" }
    }

    private static func changesConnectionState(name: String, firstArgument: String?) -> Bool {
        let upper = name.uppercased()
        return connectionStateCommands.contains(upper) || (upper == "CLIENT" && firstArgument?.uppercased() == "REPLY")
    }

    /// Creates a command from its name and arguments of any convertible types.
    public init<each Argument: RedisArgumentConvertible>(_ name: String, _ arguments: repeat each Argument) {
        var count = 1
        var firstArgument: String?
        var texts: [String] = []
        let mayBlock = Self.mayBlock(name)
        for argument in repeat each arguments {
            if count == 1 { firstArgument = argument as? String }
            if mayBlock, let text = argument as? String { texts.append(text) }
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
        self.blocks = mayBlock && Self.blocks(name: name, arguments: texts)
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
        self.blocks = Self.mayBlock(name) && Self.blocks(name: name, arguments: arguments.compactMap { $0 as? String })
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
        self.blocks = Self.mayBlock(name) && Self.blocks(name: name, arguments: argumentList.compactMap { $0 as? String })
    }

    /// A cheap first test, so that common commands never collect their arguments as text.
    private static func mayBlock(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        return first == UInt8(ascii: "B") || first == UInt8(ascii: "b") || first == UInt8(ascii: "W") || first == UInt8(ascii: "w")
            || first == UInt8(ascii: "X") || first == UInt8(ascii: "x")
    }
}
