import Foundation
import Synchronization

/// An instance running as a separate OS process (`bulwark-instance`, or `bulwark-bench --instance-mode`)
/// with its own shared-breaker registry, driven over its stdin and answering one JSON object per line.
public final class InstanceProcess: @unchecked Sendable {
    // `@unchecked`: `process` and the pipes are set once in `init`; lines arrive through a locked buffer.
    private let process: Process
    private let input: FileHandle
    private let lines = Mutex<(buffer: [String], waiter: CheckedContinuation<String?, Never>?, closed: Bool)>(([], nil, false))

    /// One answer of the instance.
    public struct Answer: @unchecked Sendable {
        /// The JSON object's fields.
        public let fields: [String: Any]
        /// `ok`, `failed` or `rejected`, for a call.
        public var result: String? { fields["result"] as? String }
        /// The breaker's local state after the command.
        public var state: String? { fields["state"] as? String }
        /// The breaker's generation after the command.
        public var generation: Int? { fields["generation"] as? Int }
        /// `shared` or `fallback`.
        public var status: String? { fields["status"] as? String }
        /// Whether the breaker's transitions are decided by Redis right now.
        public var delegated: Bool { fields["delegated"] as? Bool ?? false }
        /// An integer field, 0 when absent.
        public func count(_ key: String) -> Int { fields[key] as? Int ?? 0 }
    }

    /// The `bulwark-instance` executable beside the running program (test bundle or tool), else in `.build/debug`.
    public static var besideThisProgram: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bulwark-instance")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: ".build/debug/bulwark-instance")
    }

    init(executable: URL, leadingArguments: [String], redisURL: String, instance: String, arguments: [String]) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = leadingArguments + ["--redis", redisURL, "--instance", instance] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        input = stdin.fileHandleForWriting
        try process.run()
        let reading = stdout.fileHandleForReading
        let thread = Thread { [self] in readLines(reading) }
        thread.start()
    }

    /// Starts an instance and waits until it says it is ready.
    /// - Parameters:
    ///   - executable: The program; ``besideThisProgram`` by default.
    ///   - leadingArguments: Arguments before the instance's own, such as ``InstanceRunner/modeFlag``.
    ///   - redisURL: The Redis the instance uses.
    ///   - instance: Its instance id.
    ///   - arguments: Its other arguments (`--breaker`, `--threshold`, …).
    public static func start(
        executable: URL = besideThisProgram,
        leadingArguments: [String] = [],
        redisURL: String,
        instance: String,
        arguments: [String] = []
    ) async throws -> InstanceProcess {
        let started = try InstanceProcess(
            executable: executable,
            leadingArguments: leadingArguments,
            redisURL: redisURL,
            instance: instance,
            arguments: arguments
        )
        guard let ready = await started.nextLine(), ready.contains("ready") else {
            started.terminate()
            throw InstanceFailure(message: "instance \(instance) did not start")
        }
        return started
    }

    /// Sends one command and returns its answer.
    public func send(_ command: String) async throws -> Answer {
        input.write(Data((command + "\n").utf8))
        guard let line = await nextLine(), let data = line.data(using: .utf8),
            let fields = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw InstanceFailure(message: "no answer to '\(command)'")
        }
        return Answer(fields: fields)
    }

    /// Asks the instance to stop gracefully and waits for it; kills it if it does not stop in time.
    public func stop() async {
        input.write(Data("quit\n".utf8))
        for _ in 0..<100 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(50))
        }
        terminate()
    }

    /// Ends the process by its pid if it still runs.
    public func terminate() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private func nextLine() async -> String? {
        await withCheckedContinuation { continuation in
            let ready: String?? = lines.withLock { lines in
                if !lines.buffer.isEmpty { return .some(lines.buffer.removeFirst()) }
                if lines.closed { return .some(nil) }
                lines.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func readLines(_ handle: FileHandle) {
        var pending = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                deliver(line)
            }
        }
        let waiter = lines.withLock { lines in
            lines.closed = true
            defer { lines.waiter = nil }
            return lines.waiter
        }
        waiter?.resume(returning: nil)
    }

    private func deliver(_ line: String) {
        let waiter = lines.withLock { lines -> CheckedContinuation<String?, Never>? in
            if let waiter = lines.waiter {
                lines.waiter = nil
                return waiter
            }
            lines.buffer.append(line)
            return nil
        }
        waiter?.resume(returning: line)
    }
}

/// An instance did not start or did not answer.
public struct InstanceFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String

    /// Creates a failure.
    public init(message: String) {
        self.message = message
    }
    /// The message.
    public var description: String { message }
}
