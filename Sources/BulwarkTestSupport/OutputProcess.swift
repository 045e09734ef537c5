import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process whose standard output and standard error are collected into one text, for tests that
/// run the built executables.
///
/// Signals go to the child's pid only, never to a process found by name.
public final class OutputProcess: @unchecked Sendable {
    // `@unchecked`: `process` is set once in `init`; the collected output lives behind a mutex.
    private let process: Process
    private let output = OutputBuffer()

    /// The child's pid.
    public var pid: Int32 { process.processIdentifier }

    /// Everything the child wrote so far, standard output and standard error interleaved.
    public var text: String { String(decoding: output.bytes.withLock { $0 }, as: UTF8.self) }

    /// The exit status once the child has exited, else `nil`.
    public var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// Starts `executable` with `arguments`, the test's environment plus `environment`, and stdin from
    /// `/dev/null` (so the child never sees a terminal).
    /// - Throws: What `Process.run()` throws when the executable cannot start.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // A handle of its own: the shared `FileHandle.nullDevice` fails with EBADF when many tests start
        // processes at once.
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let reading = pipe.fileHandleForReading
        let thread = Thread { [output] in
            while true {
                let chunk = reading.availableData
                if chunk.isEmpty {
                    output.drained.store(true, ordering: .releasing)
                    return
                }
                output.bytes.withLock { $0.append(chunk) }
            }
        }
        thread.start()
    }

    /// Waits until `match` finds something in the output, polling every 20 ms.
    /// - Throws: ``OutputProcessError`` when the child exits or `timeout` passes first; the error carries
    ///   the output so that a failing test shows what the child said.
    public func waitFor<Found>(
        _ description: String,
        timeout: Duration = .seconds(60),
        _ match: (String) -> Found?
    ) async throws -> Found {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = match(text) { return found }
            if !process.isRunning {
                await awaitDrained(until: deadline)
                if let found = match(text) { return found }
                throw OutputProcessError(message: "the process exited (status \(process.terminationStatus)) before \(description)", output: text)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw OutputProcessError(message: "no \(description) within \(timeout)", output: text)
    }

    /// Waits for the child to exit, and for its last output to be read (``text`` is then complete, unless a
    /// process it started still holds the pipe open); `false` when it is still running after `timeout`.
    public func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        await awaitDrained(until: deadline)
        return true
    }

    /// After the child exited: waits (at most 5 s, and not past `deadline`) until its last output was read. The
    /// reading thread may still hold the child's last lines; a process the child started may keep the pipe open.
    private func awaitDrained(until deadline: ContinuousClock.Instant) async {
        let drainDeadline = min(deadline, ContinuousClock.now + .seconds(5))
        while !output.drained.load(ordering: .acquiring), ContinuousClock.now < drainDeadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Sends `signal` to the child, if it is still running.
    public func signal(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Stops the child: SIGTERM, then SIGKILL if it has not exited within `grace`.
    public func terminate(grace: Duration = .seconds(10)) async {
        signal(SIGTERM)
        if await waitForExit(timeout: grace) { return }
        signal(SIGKILL)
        _ = await waitForExit(timeout: .seconds(5))
    }
}

/// What a child process wrote so far, shared with the thread that reads its pipe.
private final class OutputBuffer: Sendable {
    let bytes = Mutex<Data>(Data())
    /// Set when the pipe reached its end: everything the child wrote is in ``bytes``.
    let drained = Atomic<Bool>(false)
}

/// A child process did not say what a test waited for.
public struct OutputProcessError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// The child's output up to then.
    public let output: String

    /// The message followed by the child's output.
    public var description: String { "\(message)\n--- output ---\n\(output)" }
}
