import ArgumentParser
import OperatorViews
import RedisClient
import Resilience

/// Runs a command's body with its Redis context, and turns any failure into one `bulwark: error: …` line on
/// standard error and the documented exit code.
enum OperatorRun {
    /// Runs `body`, closes the connection, and exits with the code of whatever it threw.
    /// - Throws: `ExitCode` with the failure's code, after the line is printed.
    static func perform(_ options: GlobalOptions, _ body: (OperatorContext) async throws -> Void) async throws {
        let context: OperatorContext
        do {
            context = try OperatorContext(options)
        } catch {
            throw fail(error)
        }
        defer { context.client.shutdown() }
        do {
            try await body(context)
        } catch {
            throw fail(OperatorError(error, redis: context.redisDisplay))
        }
    }

    private static func fail(_ error: OperatorError) -> ExitCode {
        // Names and keys in the message came from the operator or from Redis: escaped, they stay one line.
        StandardError.writeLine("bulwark: error: \(LogEscaping.escaped(error.message))")
        return ExitCode(error.code.exitCode)
    }
}
