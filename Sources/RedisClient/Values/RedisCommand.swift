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

    /// Creates a command from its name and arguments of any convertible types.
    public init<each Argument: RedisArgumentConvertible>(_ name: String, _ arguments: repeat each Argument) {
        var count = 1
        for _ in repeat each arguments { count += 1 }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 + name.utf8.count + 16 * count)
        RESPWriter.appendArrayHeader(count: count, to: &buffer)
        RESPWriter.appendBulk(name, to: &buffer)
        for argument in repeat each arguments {
            RESPWriter.appendBulk(argument, to: &buffer)
        }
        self.name = name
        self.encoded = buffer
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
    }
}
