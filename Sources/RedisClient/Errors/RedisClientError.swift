/// An error of the Redis client.
///
/// Callers compare ``code``, never the text of ``message``: codes can grow without breaking them.
/// Messages never contain passwords or command arguments, only command names.
///
/// ```swift
/// do {
///     _ = try await client.send("GET", "key")
/// } catch let error as RedisClientError where error.code == .timedOut {
///     // Redis was silent for longer than the command timeout.
/// }
/// ```
public struct RedisClientError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case invalidURL
            case invalidConfiguration
            case connectionRefused
            case timedOut
            case connectionLost
            case connectionUnavailable
            case protocolError
            case serverError
            case unexpectedReply
            case masterNotFound
            case clientClosed
            case overloaded
            case cancelled
            case blockingCommand
        }

        private let backing: Backing
        private init(_ backing: Backing) { self.backing = backing }

        /// A Redis URL could not be parsed; the message names the part that is wrong.
        public static let invalidURL = Code(.invalidURL)
        /// A configuration value is out of range; the message names the field.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// Nothing listens at the address, or it refused the connection.
        public static let connectionRefused = Code(.connectionRefused)
        /// Redis did not answer within the connect or command timeout.
        public static let timedOut = Code(.timedOut)
        /// The connection broke while a command was in flight; the command may or may not have run.
        public static let connectionLost = Code(.connectionLost)
        /// The connection is down and the client is waiting before its next reconnect attempt.
        public static let connectionUnavailable = Code(.connectionUnavailable)
        /// Redis sent bytes that are not valid RESP.
        public static let protocolError = Code(.protocolError)
        /// Redis answered with an error reply; ``RedisClientError/serverError`` carries it.
        public static let serverError = Code(.serverError)
        /// A reply had a shape the caller did not expect.
        public static let unexpectedReply = Code(.unexpectedReply)
        /// No sentinel knew the master's address.
        public static let masterNotFound = Code(.masterNotFound)
        /// The client was shut down.
        public static let clientClosed = Code(.clientClosed)
        /// Too many requests already wait for the connection (``RedisConfiguration/maximumPendingRequests``).
        public static let overloaded = Code(.overloaded)
        /// The calling task was cancelled before the reply came; a command already written may have run.
        public static let cancelled = Code(.cancelled)
        /// A blocking command (`BLPOP`, `XREAD … BLOCK`, `WAIT`, …) was refused: on a shared connection it
        /// would hold up every caller behind it.
        public static let blockingCommand = Code(.blockingCommand)

        /// The code's name, such as `timedOut`.
        public var description: String { String(describing: backing) }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation, free of secrets.
    public var message: String
    /// Redis's own error reply, for ``Code/serverError``.
    public var serverError: RedisServerError?
    /// The POSIX error number behind a connection failure, when there was one.
    public var errno: Int32?
    /// The handshake command Redis refused while connecting (`AUTH`, `SELECT`, `CLIENT`, `PING`), when the
    /// connect failed there.
    public var connectStep: String?
    /// Where the error was raised.
    public var file: String
    /// The line where the error was raised.
    public var line: Int

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        serverError: RedisServerError? = nil,
        errno: Int32? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.serverError = serverError
        self.errno = errno
        self.file = file
        self.line = line
    }

    /// Whether a retry on a fresh connection may succeed: Redis is unreachable rather than refusing us.
    public var isTransient: Bool { failureKind.isUnreachable }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
