import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One Redis process on a loopback port that it keeps across restarts, and the scratch directory it owns.
///
/// The public fixtures wrap this. Whatever happens, `deinit` kills the current child by its pid and removes
/// the scratch directory.
final class ManagedInstance: Sendable {
    /// The loopback host.
    static let host = "127.0.0.1"
    /// The file that receives the child's stdout and stderr (errors before the log file opens land here).
    static let outputFileName = "stdio.log"
    /// How many fresh ports a first start tries.
    static let portAttempts = 5

    /// The port, the same for the life of the instance.
    let port: Int
    /// The scratch directory.
    let scratch: ScratchDirectory
    private let recipe: LaunchRecipe
    private let state: Mutex<State>

    private struct State {
        var child: ChildProcess?
        var isShutDown = false
    }

    private enum LaunchOutcome {
        case ready(ChildProcess)
        case addressInUse
    }

    private init(port: Int, scratch: ScratchDirectory, recipe: LaunchRecipe, child: ChildProcess) {
        self.port = port
        self.scratch = scratch
        self.recipe = recipe
        self.state = Mutex(State(child: child))
    }

    deinit {
        let child = state.withLock { $0.child }
        child?.terminateSynchronously()
        scratch.remove()
    }

    /// Launches on a free port, trying a fresh port when another process took the chosen one first.
    ///
    /// On failure the scratch directory is removed.
    static func launch(_ recipe: LaunchRecipe, in scratch: ScratchDirectory) async throws -> ManagedInstance {
        do {
            for _ in 0..<portAttempts {
                let port = try LoopbackPort.pickFree()
                if case .ready(let child) = try await launchOnce(recipe, in: scratch, port: port, isRestart: false) {
                    return ManagedInstance(port: port, scratch: scratch, recipe: recipe, child: child)
                }
            }
            throw RedisTestSupportError(.portUnavailable, message: "\(recipe.displayName): every port tried was taken (\(portAttempts) attempts)")
        } catch {
            scratch.remove()
            throw error
        }
    }

    /// The current child's pid.
    var pid: Int32 {
        state.withLock { $0.child?.pid ?? 0 }
    }

    /// Whether the current child has not exited.
    var isRunning: Bool {
        guard let child = state.withLock({ $0.child }) else { return false }
        return !child.hasExited
    }

    /// Sends `SIGTERM` (and `SIGCONT`, so a paused process sees it), then `SIGKILL` after the stop timeout.
    func stop() async throws {
        guard let child = try currentChild() else { return }
        child.send(SIGTERM)
        child.send(SIGCONT)
        if await child.waitForExit(timeout: recipe.stopTimeout) { return }
        child.send(SIGKILL)
        try await awaitExit(of: child)
    }

    /// Sends `SIGKILL` and waits for the exit.
    func kill() async throws {
        guard let child = try currentChild() else { return }
        child.send(SIGKILL)
        try await awaitExit(of: child)
    }

    /// Sends `SIGSTOP` and waits until the kernel reports the process stopped.
    func pause() async throws {
        guard let child = try currentChild() else { return }
        child.send(SIGSTOP)
        try await awaitState(of: child, stopped: true)
    }

    /// Sends `SIGCONT` and waits until the kernel reports the process running.
    func resume() async throws {
        guard let child = try currentChild() else { return }
        child.send(SIGCONT)
        try await awaitState(of: child, stopped: false)
    }

    /// Stops the process if it runs, then launches it again on the same port, retrying while the port is taken.
    func restart() async throws {
        try await stop()
        let deadline = ContinuousClock.now + recipe.startTimeout
        while true {
            _ = try currentChild()
            switch try await Self.launchOnce(recipe, in: scratch, port: port, isRestart: true) {
            case .ready(let child):
                let accepted = state.withLock { state in
                    guard !state.isShutDown else { return false }
                    state.child = child
                    return true
                }
                if !accepted {
                    child.terminateSynchronously()
                    throw RedisTestSupportError(.shutDown, message: "\(recipe.displayName) was shut down during restart")
                }
                return
            case .addressInUse:
                guard ContinuousClock.now < deadline else {
                    throw RedisTestSupportError(.portUnavailable, message: "\(recipe.displayName): port \(port) stayed taken")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Stops the process (killing it if that fails) and removes the scratch directory; later calls throw ``RedisTestSupportError/Code/shutDown``.
    func shutdown() async {
        let child = state.withLock { state -> ChildProcess? in
            guard !state.isShutDown else { return nil }
            state.isShutDown = true
            return state.child
        }
        if let child {
            child.send(SIGTERM)
            child.send(SIGCONT)
            if !(await child.waitForExit(timeout: recipe.stopTimeout)) {
                child.terminateSynchronously()
            }
        }
        scratch.remove()
    }

    /// Whether the process answers `PING` within `timeout` (a `-NOAUTH` reply counts when a password is set).
    func respondsToPing(within timeout: Duration) async -> Bool {
        await Self.ping(port: port, requiresAuthentication: recipe.requiresAuthentication, timeout: timeout)
    }

    /// Sends commands on a fresh connection and returns their replies.
    func exchange(_ commands: [[String]], timeout: Duration) async throws -> [RESPValue] {
        _ = try currentChild()
        return try await RESPConnection.exchange(host: Self.host, port: port, commands: commands, timeout: timeout)
    }

    /// The last lines of the log, for error messages.
    func logTail(lines: Int = 20) -> String {
        scratch.tail(of: recipe.logFileName, lines: lines)
    }

    private func currentChild() throws -> ChildProcess? {
        let (child, isShutDown) = state.withLock { ($0.child, $0.isShutDown) }
        if isShutDown { throw RedisTestSupportError(.shutDown, message: "\(recipe.displayName) was shut down") }
        return child
    }

    private func awaitExit(of child: ChildProcess) async throws {
        guard await child.waitForExit(timeout: .seconds(10)) else {
            throw RedisTestSupportError(.timedOut, message: "\(recipe.displayName) pid \(child.pid) did not exit after SIGKILL")
        }
    }

    private func awaitState(of child: ChildProcess, stopped: Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(2)
        while let state = child.procState, (state == "T") != stopped {
            guard ContinuousClock.now < deadline else {
                throw RedisTestSupportError(.timedOut, message: "\(recipe.displayName) pid \(child.pid) stayed in state \(state)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Spawns the process once on `port` and waits until it is ready, has exited, or the deadline passes.
    private static func launchOnce(
        _ recipe: LaunchRecipe,
        in scratch: ScratchDirectory,
        port: Int,
        isRestart: Bool
    ) async throws -> LaunchOutcome {
        let logOffset = scratch.size(of: recipe.logFileName)
        let outputOffset = scratch.size(of: outputFileName)
        let child = try ChildProcess.spawn(
            executable: recipe.executable,
            arguments: try recipe.arguments(port, isRestart),
            outputPath: scratch.file(outputFileName)
        )
        func failureText() -> String {
            let log = scratch.tail(of: recipe.logFileName, from: logOffset)
            let output = scratch.tail(of: outputFileName, from: outputOffset)
            return [log, output].filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.joined(separator: "\n")
        }
        let deadline = ContinuousClock.now + recipe.startTimeout
        var pause = Duration.milliseconds(2)
        do {
            while true {
                if child.pollExit() != nil {
                    let text = failureText()
                    if text.contains("Address already in use") { return .addressInUse }
                    throw RedisTestSupportError(
                        .exitedDuringStartup,
                        message: "\(recipe.displayName) on port \(port) exited during startup; log:\n\(text)"
                    )
                }
                if scratch.text(of: recipe.logFileName, from: logOffset).contains(recipe.readyMarker) {
                    let remaining = deadline - ContinuousClock.now
                    let timeout = max(.milliseconds(50), min(.seconds(1), remaining))
                    if await ping(port: port, requiresAuthentication: recipe.requiresAuthentication, timeout: timeout) {
                        return .ready(child)
                    }
                }
                guard ContinuousClock.now < deadline else {
                    throw RedisTestSupportError(
                        .startTimedOut,
                        message: "\(recipe.displayName) on port \(port) did not answer PING within \(recipe.startTimeout); log:\n\(failureText())"
                    )
                }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(50))
            }
        } catch {
            child.terminateSynchronously()
            throw error
        }
    }

    private static func ping(port: Int, requiresAuthentication: Bool, timeout: Duration) async -> Bool {
        guard let replies = try? await RESPConnection.exchange(host: host, port: port, commands: [["PING"]], timeout: timeout) else {
            return false
        }
        switch replies.first {
        case .simpleString("PONG"): return true
        case .error(let message): return requiresAuthentication && message.hasPrefix("NOAUTH")
        default: return false
        }
    }
}
