/// Why an operator command failed: one line for standard error and the exit code scripts test.
///
/// Exit codes follow `sysexits.h` where one fits; docs/cli.md lists them all.
struct OperatorError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is, and so the process's exit code.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Int32, Hashable, Sendable {
            case declined = 1
            case usage = 64
            case dataError = 65
            case notFound = 66
            case unavailable = 69
            case internalError = 70
            case temporaryFailure = 75
        }

        private let backing: Backing
        private init(_ backing: Backing) { self.backing = backing }

        /// 1: the operator answered no at the confirmation prompt; nothing changed.
        static let declined = Code(.declined)
        /// 64 (`EX_USAGE`): bad input — a malformed name, key, duration or URL, a missing `--yes` without a terminal.
        static let usage = Code(.usage)
        /// 65 (`EX_DATAERR`): Redis holds something the command cannot read, or refused a command.
        static let dataError = Code(.dataError)
        /// 66 (`EX_NOINPUT`): the named breaker, cache key, session, record or letter does not exist.
        static let notFound = Code(.notFound)
        /// 69 (`EX_UNAVAILABLE`): Redis is unreachable, or no running instance could answer.
        static let unavailable = Code(.unavailable)
        /// 70 (`EX_SOFTWARE`): a failure inside the command itself.
        static let internalError = Code(.internalError)
        /// 75 (`EX_TEMPFAIL`): worth trying again later, such as a retried letter whose handler failed again.
        static let temporaryFailure = Code(.temporaryFailure)

        /// The process's exit status.
        var exitCode: Int32 { backing.rawValue }

        /// The code's name.
        var description: String { String(describing: backing) }
    }

    /// What kind of failure this is.
    var code: Code
    /// One line, without secrets.
    var message: String

    /// Creates an error.
    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    var description: String { message }
}
