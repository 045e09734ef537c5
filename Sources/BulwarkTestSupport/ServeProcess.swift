import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `bulwark serve` running as its own process on a loopback port, as operators run it.
public struct ServeProcess: Sendable {
    /// The running process and its log.
    public let process: OutputProcess
    /// The port it listens on.
    public let port: Int

    /// `http://127.0.0.1:<port>`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// The built `bulwark` beside the running test program, else in `.build/debug`; `BULWARK_EXECUTABLE` names
    /// another build (to run a regression test against the code before its fix).
    public static var executable: URL {
        if let other = ProcessInfo.processInfo.environment["BULWARK_EXECUTABLE"] { return URL(fileURLWithPath: other) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bulwark")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: ".build/debug/bulwark")
    }

    /// Starts `bulwark serve` on a free loopback port and waits until it announces that it serves.
    /// - Parameters:
    ///   - redisURL: The Redis it uses (it serves on the fallback while that is unreachable).
    ///   - instance: Its instance id.
    ///   - adminToken: The bearer token admin changes need; `nil` starts an instance that refuses every change.
    ///   - keyPrefix: The prefix of its Redis keys; the service's default when `nil`.
    ///   - arguments: More arguments after `serve`, such as `--demo`.
    ///   - environment: More environment variables.
    /// - Throws: ``OutputProcessError`` with the process's output when it does not come up within a minute.
    public static func start(
        redisURL: String,
        instance: String,
        adminToken: String?,
        keyPrefix: String? = nil,
        arguments: [String] = [],
        environment: [String: String] = [:]
    ) async throws -> ServeProcess {
        var variables = [
            "REDIS_URL": redisURL, "BULWARK_HOST": "127.0.0.1", "BULWARK_PORT": "0",
            "BULWARK_INSTANCE_ID": instance, "BULWARK_MODE": "development",
        ]
        variables["BULWARK_ADMIN_TOKEN"] = adminToken
        if let keyPrefix { variables["BULWARK_KEY_PREFIX"] = keyPrefix }
        let process = try OutputProcess(executable, ["serve"] + arguments, environment: variables.merging(environment) { $1 })
        do {
            let port = try await process.waitFor("the 'bulwark serving' announcement") { text -> Int? in
                guard let line = text.split(separator: "\n").first(where: { $0.contains("bulwark serving") }),
                    let range = line.range(of: "port=")
                else { return nil }
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
            return ServeProcess(process: process, port: port)
        } catch {
            await process.terminate()
            throw error
        }
    }

    /// Sends SIGTERM and waits for a clean exit (status 0) within `timeout`.
    public func stopGracefully(timeout: Duration) async -> Bool {
        process.signal(SIGTERM)
        guard await process.waitForExit(timeout: timeout) else { return false }
        return process.exitStatus == 0
    }
}
