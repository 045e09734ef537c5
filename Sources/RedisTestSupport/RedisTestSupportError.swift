/// An error thrown by the Redis process fixtures.
///
/// Compare ``code`` to tell failures apart; ``message`` is for people and may change. When a process
/// fails to start, the message ends with the tail of its log.
///
/// ```swift
/// do {
///     let server = try await RedisServerProcess.start()
/// } catch let error as RedisTestSupportError where error.code == .executableNotFound {
///     // redis-server is not installed
/// }
/// ```
public struct RedisTestSupportError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure; new codes may be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case executableNotFound
            case invalidOptions
            case spawnFailed
            case exitedDuringStartup
            case startTimedOut
            case portUnavailable
            case connectionFailed
            case protocolError
            case timedOut
            case shutDown
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// The executable (`redis-server`, `redis-sentinel`) was not found on `PATH`.
        public static let executableNotFound = Code(.executableNotFound)
        /// An option has a value the fixture cannot use; the message names the field.
        public static let invalidOptions = Code(.invalidOptions)
        /// The operating system refused to start the process.
        public static let spawnFailed = Code(.spawnFailed)
        /// The process exited before it was ready.
        public static let exitedDuringStartup = Code(.exitedDuringStartup)
        /// The process did not answer `PING` before the start deadline.
        public static let startTimedOut = Code(.startTimedOut)
        /// No loopback port could be bound, or the fixed port stayed taken.
        public static let portUnavailable = Code(.portUnavailable)
        /// A connection to the process could not be made, or broke.
        public static let connectionFailed = Code(.connectionFailed)
        /// The process answered something that is not the expected RESP reply.
        public static let protocolError = Code(.protocolError)
        /// A wait (for a reply, an exit, a failover) ran past its deadline.
        public static let timedOut = Code(.timedOut)
        /// The fixture was shut down and cannot be used again.
        public static let shutDown = Code(.shutDown)

        /// A short name of the code.
        public var description: String {
            switch backing {
            case .executableNotFound: "executable not found"
            case .invalidOptions: "invalid options"
            case .spawnFailed: "spawn failed"
            case .exitedDuringStartup: "exited during startup"
            case .startTimedOut: "start timed out"
            case .portUnavailable: "port unavailable"
            case .connectionFailed: "connection failed"
            case .protocolError: "protocol error"
            case .timedOut: "timed out"
            case .shutDown: "shut down"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for people.
    public var message: String?
    /// The error that caused this one, if any.
    public var underlying: (any Error)?
    /// The file that threw the error.
    public var file: String
    /// The line that threw the error.
    public var line: Int

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What went wrong, for people.
    ///   - underlying: The error that caused this one.
    ///   - file: The file that throws; defaults to the caller's.
    ///   - line: The line that throws; defaults to the caller's.
    public init(_ code: Code, message: String? = nil, underlying: (any Error)? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// The code, the message and the underlying error on one line (the log tail may add more lines).
    public var description: String {
        var text = "RedisTestSupportError(\(code))"
        if let message { text += ": \(message)" }
        if let underlying { text += " (underlying: \(underlying))" }
        return text + " [\(file):\(line)]"
    }
}
