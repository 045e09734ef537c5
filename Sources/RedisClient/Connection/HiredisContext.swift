import CHiredis

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One hiredis connection in blocking mode.
///
/// `@unchecked Sendable` because it is handed to the one thread that owns it: a `redisContext` is not
/// thread-safe, and every call on it blocks. Only that thread calls its methods.
final class HiredisContext: @unchecked Sendable {
    private let context: UnsafeMutablePointer<redisContext>

    /// Connects, blocking for at most `timeout`.
    init(host: String, port: Int, timeout: Duration) throws(RedisClientError) {
        let pointer = redisConnectWithTimeout(host, Int32(port), Self.makeTimeval(timeout))
        context = try Self.checkConnected(pointer, address: RedisHostAndPort(host: host, port: port).description)
    }

    /// Connects to a Unix socket, blocking for at most `timeout`.
    init(unixPath: String, timeout: Duration) throws(RedisClientError) {
        let pointer = redisConnectUnixWithTimeout(unixPath, Self.makeTimeval(timeout))
        context = try Self.checkConnected(pointer, address: "unix://\(unixPath)")
    }

    deinit {
        redisFree(context)
    }

    /// The socket, for `poll`.
    var fileDescriptor: Int32 { context.pointee.fd }

    /// Sets the socket's send and receive timeouts.
    func setTimeout(_ timeout: Duration) {
        _ = redisSetTimeout(context, Self.makeTimeval(timeout))
    }

    /// Turns on TCP keepalive probes.
    func enableKeepAlive() {
        _ = redisEnableKeepAlive(context)
    }

    /// Appends an encoded command to the output buffer; nothing is written yet.
    func append(_ encoded: [UInt8]) {
        encoded.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = redisAppendFormattedCommand(context, chars.baseAddress, chars.count)
            }
        }
    }

    /// Writes what is buffered and blocks for the next reply.
    func readReply() throws(RedisClientError) -> RedisValue {
        var reply: UnsafeMutableRawPointer?
        guard redisGetReply(context, &reply) == REDIS_OK, let reply else {
            throw currentError()
        }
        defer { freeReplyObject(reply) }
        return Self.convert(reply.assumingMemoryBound(to: redisReply.self))
    }

    /// Sends one command and waits for its reply.
    func roundTrip(_ command: RedisCommand) throws(RedisClientError) -> RedisValue {
        append(command.encoded)
        return try readReply()
    }

    /// Writes the whole output buffer (blocking until done).
    func flush() throws(RedisClientError) {
        var done: Int32 = 0
        while done == 0 {
            guard redisBufferWrite(context, &done) == REDIS_OK else { throw currentError() }
        }
    }

    /// Polls the socket without blocking until it is readable or `duration` has passed.
    func pollReadable(for duration: Duration) {
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let end = ContinuousClock.now + duration
        while poll(&descriptor, 1, 0) == 0, ContinuousClock.now < end {}
    }

    /// Reads what the socket has (one `read`), for use after `poll` said it is readable.
    func readAvailable() throws(RedisClientError) {
        guard redisBufferRead(context) == REDIS_OK else { throw currentError() }
    }

    /// A complete reply already read from the socket, or `nil` when more bytes are needed.
    func bufferedReply() throws(RedisClientError) -> RedisValue? {
        var reply: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &reply) == REDIS_OK else { throw currentError() }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        return Self.convert(reply.assumingMemoryBound(to: redisReply.self))
    }

    private func currentError() -> RedisClientError {
        Self.error(of: context, savedErrno: errno, address: nil)
    }

    private static func checkConnected(
        _ pointer: UnsafeMutablePointer<redisContext>?,
        address: String
    ) throws(RedisClientError) -> UnsafeMutablePointer<redisContext> {
        let savedErrno = errno
        guard let pointer else {
            throw RedisClientError(.connectionRefused, "cannot allocate a connection to \(address)")
        }
        if pointer.pointee.err != 0 {
            let error = error(of: pointer, savedErrno: savedErrno, address: address)
            redisFree(pointer)
            throw error
        }
        return pointer
    }

    private static func error(
        of context: UnsafeMutablePointer<redisContext>,
        savedErrno: Int32,
        address: String?
    ) -> RedisClientError {
        let text = withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let target = address.map { " (\($0))" } ?? ""
        switch context.pointee.err {
        case REDIS_ERR_EOF:
            return RedisClientError(.connectionLost, "Redis closed the connection\(target)")
        case REDIS_ERR_PROTOCOL:
            return RedisClientError(.protocolError, "protocol error\(target): \(text)")
        case REDIS_ERR_IO:
            switch savedErrno {
            case EAGAIN, EWOULDBLOCK, ETIMEDOUT, EINPROGRESS:
                return RedisClientError(.timedOut, "Redis did not answer in time\(target)", errno: savedErrno)
            case ECONNREFUSED, ENOENT, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL:
                return RedisClientError(.connectionRefused, "connection refused\(target): \(text)", errno: savedErrno)
            default:
                return RedisClientError(.connectionLost, "connection error\(target): \(text)", errno: savedErrno)
            }
        default:
            return RedisClientError(.connectionRefused, "cannot connect\(target): \(text)", errno: savedErrno)
        }
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_INTEGER:
            return .integer(Int(value.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_STRING:
            return .bulkString(bytes(value.str, count: value.len))
        case REDIS_REPLY_STATUS:
            return .simpleString(bytes(value.str, count: value.len))
        case REDIS_REPLY_ERROR:
            return .error(RedisServerError(reply: String(decoding: bytes(value.str, count: value.len), as: UTF8.self)))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(Int(value.elements))
            for index in 0..<Int(value.elements) {
                if let element = value.element[index] {
                    elements.append(convert(element))
                } else {
                    elements.append(.null)
                }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    private static func makeTimeval(_ duration: Duration) -> timeval {
        let (seconds, attoseconds) = duration.components
        return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
