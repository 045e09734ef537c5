#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import RedisTestSupport

/// Whether a process with `pid` exists; a reaped child fails `kill(pid, 0)` with `ESRCH`.
func processExists(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0 || errno != ESRCH
}

/// Sends commands to `127.0.0.1:port` on a fresh connection.
func send(_ commands: [[String]], to port: Int, timeout: Duration = .seconds(2)) async throws -> [RESPValue] {
    try await RESPConnection.exchange(host: "127.0.0.1", port: port, commands: commands, timeout: timeout)
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes.
func eventually(timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
