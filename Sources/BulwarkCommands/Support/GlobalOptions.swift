import ArgumentParser
import Foundation

/// The options every operator command takes: where Redis is, the key prefix, and JSON output.
struct GlobalOptions: ParsableArguments {
    /// The Redis URL when none is given: `REDIS_URL`, else the local default.
    static let defaultRedisURL = "redis://127.0.0.1:6379"
    /// The key prefix when none is given: the service's default (`keyPrefix` in its configuration).
    static let defaultKeyPrefix = "bulwark"

    /// `--redis URL`.
    @Option(name: .customLong("redis"), help: "Redis URL (default: env REDIS_URL, else redis://127.0.0.1:6379).")
    var redisURL: String?

    /// `--key-prefix P`.
    @Option(help: "Prefix of the service's Redis keys and channels (default: env BULWARK_KEY_PREFIX, else bulwark).")
    var keyPrefix: String?

    /// `--json`.
    @Flag(help: "Print JSON (sorted keys, documented in docs/cli.md) instead of a table.")
    var json = false

    /// The Redis URL to use: `--redis`, else `REDIS_URL`, else the default.
    func resolvedRedisURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        redisURL ?? environment["REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultRedisURL
    }

    /// The key prefix to use: `--key-prefix`, else `BULWARK_KEY_PREFIX`, else the default.
    /// - Throws: ``OperatorError`` with code ``OperatorError/Code/usage`` for an empty prefix or one with braces
    ///   or spaces, which the service refuses too.
    func resolvedKeyPrefix(environment: [String: String] = ProcessInfo.processInfo.environment) throws(OperatorError) -> String {
        let prefix = keyPrefix ?? environment["BULWARK_KEY_PREFIX"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultKeyPrefix
        guard !prefix.isEmpty, !prefix.contains(where: { $0 == "{" || $0 == "}" || $0.isWhitespace }) else {
            throw OperatorError(.usage, "key prefix '\(prefix)' must be non-empty, without braces or spaces")
        }
        return prefix
    }
}
