@testable import RedisTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

/// Listens on `127.0.0.1:port` so that nobody else can, returning the socket or `nil` if the port is taken.
func occupyLoopbackPort(_ port: Int) -> Int32? {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(descriptor, 1) == 0 else {
        close(descriptor)
        return nil
    }
    return descriptor
}
