#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal RESP connection over a non-blocking TCP socket, every step bounded by one deadline.
///
/// Its calls block the calling thread (in `poll`), so async code runs it through
/// ``RESPConnection/exchange(host:port:commands:timeout:)``, which uses a thread of its own.
final class RESPConnection {
    private let descriptor: Int32
    private let deadline: ContinuousClock.Instant
    private var buffer: [UInt8] = []

    /// Connects to an IPv4 `host:port` before `deadline`.
    init(host: String, port: Int, deadline: ContinuousClock.Instant) throws(RedisTestSupportError) {
        self.deadline = deadline
        #if os(Linux)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
            if descriptor >= 0 {
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
                _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
                var on: Int32 = 1
                setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
            }
        #endif
        guard descriptor >= 0 else { throw Self.systemError(.connectionFailed, "socket") }
        self.descriptor = descriptor

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(descriptor)
            throw RedisTestSupportError(.connectionFailed, message: "\(host) is not an IPv4 address")
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            guard errno == EINPROGRESS else {
                let error = Self.systemError(.connectionFailed, "connect \(host):\(port)")
                close(descriptor)
                throw error
            }
            do {
                try wait(for: Int16(POLLOUT))
            } catch {
                close(descriptor)
                throw error
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length)
            guard socketError == 0 else {
                close(descriptor)
                throw RedisTestSupportError(
                    .connectionFailed,
                    message: "connect \(host):\(port): \(String(cString: strerror(socketError)))"
                )
            }
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sends `command` and reads its reply.
    func call(_ command: [String]) throws(RedisTestSupportError) -> RESPValue {
        try send(command)
        return try readReply()
    }

    /// Sends one command.
    func send(_ command: [String]) throws(RedisTestSupportError) {
        let bytes = encodeRESPCommand(command)
        var offset = 0
        while offset < bytes.count {
            #if os(Linux)
                let flags = Int32(MSG_NOSIGNAL)
            #else
                let flags: Int32 = 0
            #endif
            let written = bytes[offset...].withUnsafeBytes { sendBytes(descriptor, $0.baseAddress, $0.count, flags) }
            if written > 0 {
                offset += written
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try wait(for: Int16(POLLOUT))
            } else {
                throw Self.systemError(.connectionFailed, "send")
            }
        }
    }

    /// Reads one complete reply, however many reads it takes.
    func readReply() throws(RedisTestSupportError) -> RESPValue {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            do {
                if let (value, consumed) = try RESPParser.parse(buffer) {
                    buffer.removeFirst(consumed)
                    return value
                }
            } catch {
                throw RedisTestSupportError(.protocolError, message: error.reason)
            }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer += chunk[0..<count]
            } else if count == 0 {
                throw RedisTestSupportError(.connectionFailed, message: "the server closed the connection")
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try wait(for: Int16(POLLIN))
            } else {
                throw Self.systemError(.connectionFailed, "recv")
            }
        }
    }

    /// Waits in `poll` until the socket is ready for `events` or the deadline passes.
    private func wait(for events: Int16) throws(RedisTestSupportError) {
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw RedisTestSupportError(.timedOut, message: "no reply before the deadline") }
            let milliseconds = Int32(clamping: max(1, Int((remaining / .milliseconds(1)).rounded(.up))))
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let result = poll(&entry, 1, milliseconds)
            if result > 0 { return }
            if result < 0 && errno != EINTR { throw Self.systemError(.connectionFailed, "poll") }
        }
    }

    private static func systemError(_ code: RedisTestSupportError.Code, _ operation: String) -> RedisTestSupportError {
        RedisTestSupportError(code, message: "\(operation): \(String(cString: strerror(errno)))")
    }
}

/// `send(2)` under another name, since ``RESPConnection/send(_:)`` hides the C function inside the class.
private func sendBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    send(descriptor, bytes, count, flags)
}
