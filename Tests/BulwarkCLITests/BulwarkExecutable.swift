import Foundation
import Synchronization

/// Runs the built `bulwark` executable as a subprocess.
enum BulwarkExecutable {
    struct Output: Sendable {
        let status: Int32
        let standardOutput: String
        let standardError: String

        /// The non-empty lines of standard error.
        var errorLines: [Substring] { standardError.split(separator: "\n") }

        /// Standard output parsed as a JSON object.
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(standardOutput.utf8)) as? [String: Any] else {
                throw UnexpectedOutput(output: self)
            }
            return object
        }
    }

    /// Standard output was not what the test expected.
    struct UnexpectedOutput: Error, CustomStringConvertible {
        let output: Output
        var description: String { "status \(output.status)\n--- stdout ---\n\(output.standardOutput)\n--- stderr ---\n\(output.standardError)" }
    }

    /// The built `bulwark` beside the running test program, else in `.build/debug`.
    static var url: URL {
        if let other = ProcessInfo.processInfo.environment["BULWARK_EXECUTABLE"] { return URL(fileURLWithPath: other) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bulwark")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: ".build/debug/bulwark")
    }

    /// Runs `bulwark arguments…` with no terminal on stdin and waits for it, on a thread of its own so that the
    /// blocking reads never hold a cooperative thread.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try runBlocking(arguments, environment: environment) })
            }.start()
        }
    }

    /// One spawn at a time from this suite: Foundation's `Process` has raced on file descriptors when many threads
    /// spawn at once.
    private static let spawning = NSLock()

    private static func runBlocking(_ arguments: [String], environment: [String: String]) throws -> Output {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        // The commands read these when no option is given: a test names what it means.
        var variables = ProcessInfo.processInfo.environment
        variables["REDIS_URL"] = nil
        variables["BULWARK_KEY_PREFIX"] = nil
        process.environment = variables.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // A handle of its own: the shared `FileHandle.nullDevice` can be closed under a concurrent spawn, which then
        // fails with EBADF.
        guard let nothing = FileHandle(forReadingAtPath: "/dev/null") else { throw CocoaError(.fileNoSuchFile) }
        defer { try? nothing.close() }
        process.standardInput = nothing
        try spawning.withLock { try process.run() }
        // Standard error is read on another thread, so that neither pipe can fill up while the other is read.
        let errData = Mutex(Data())
        let errDone = DispatchSemaphore(value: 0)
        Thread {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errData.withLock { $0 = data }
            errDone.signal()
        }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errDone.wait()
        return Output(
            status: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData.withLock { $0 }, as: UTF8.self)
        )
    }
}
