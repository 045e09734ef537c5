import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One HTTP/1.1 connection over a plain socket, for requests no HTTP client library would send: doubled slashes,
/// the absolute form, control characters, half-sent headers, hundreds of open streams, another loopback source
/// address. Blocking calls run on a thread of their own, never on the cooperative pool.
final class RawHTTPConnection: @unchecked Sendable {
    // `@unchecked`: one test drives a connection at a time; the descriptor is only closed in `close()`.
    private let socket: Int32
    private var buffer: [UInt8] = []

    /// A response as read off the wire.
    struct Response: Sendable {
        let status: Int
        let headers: [String: String]
        let body: String

        /// The value of header `name` (case-insensitive).
        func header(_ name: String) -> String? { headers[name.lowercased()] }

        /// The body parsed as a JSON object.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }

        /// The `error` object of an envelope.
        var envelope: [String: Any] { json["error"] as? [String: Any] ?? [:] }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Connects to `127.0.0.1:port`, from `source` (another loopback address, such as `127.0.0.2`) when given.
    static func open(port: Int, source: String? = nil) async throws -> RawHTTPConnection {
        try await blocking { try RawHTTPConnection(port: port, source: source) }
    }

    private init(port: Int, source: String?) throws {
        #if canImport(Glibc)
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        // Every read gives up after 60 s, so that a server that never answers fails the test instead of hanging it.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let source {
            var local = Self.address(source, port: 0)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                Glibc.close(socket)
                throw Failure(description: "bind(\(source)) failed: \(errno)")
            }
        }
        var remote = Self.address("127.0.0.1", port: port)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(socket)
            throw Failure(description: "connect failed: \(errno)")
        }
    }

    private static func address(_ host: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        return address
    }

    deinit { Glibc.close(socket) }

    /// Sends `text` as it is.
    func send(_ text: String) async throws {
        try await Self.blocking { [self] in
            var bytes = Array(text.utf8)
            while !bytes.isEmpty {
                let sent = Glibc.send(socket, bytes, bytes.count, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { throw Failure(description: "send failed: \(errno)") }
                bytes.removeFirst(sent)
            }
        }
    }

    /// Sends a whole request: `method target`, `Host`, the headers given, and `body` with its `Content-Length`.
    func request(
        _ method: String,
        _ target: String,
        headers: [(String, String)] = [],
        body: String? = nil,
        keepAlive: Bool = false
    ) async throws -> Response {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        if !keepAlive { text += "Connection: close\r\n" }
        text += "\r\n" + (body ?? "")
        try await send(text)
        return try await readResponse()
    }

    /// Reads one response: its head, then a `Content-Length` body (or, for an event stream, nothing more).
    func readResponse() async throws -> Response {
        try await Self.blocking { [self] in
            while true {
                if let end = headEnd() {
                    let head = String(decoding: buffer[..<end], as: UTF8.self)
                    var lines = head.components(separatedBy: "\r\n")
                    let statusLine = lines.removeFirst().split(separator: " ")
                    guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line: \(head)") }
                    var headers: [String: String] = [:]
                    for line in lines {
                        guard let colon = line.firstIndex(of: ":") else { continue }
                        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    }
                    buffer.removeFirst(end + 4)
                    let length = headers["content-length"].flatMap { Int($0) } ?? 0
                    while buffer.count < length { try fill() }
                    let body = String(decoding: buffer.prefix(length), as: UTF8.self)
                    buffer.removeFirst(length)
                    return Response(status: status, headers: headers, body: body)
                }
                try fill()
            }
        }
    }

    /// Waits until the server closes the connection (a read returns end of file or a reset), reading and dropping
    /// what it sends; returns what it sent, or throws when `timeout` passes first.
    func waitForClose(timeout: Duration) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        return try await Self.blocking { [self] in
            var received: [UInt8] = buffer
            var chunk = [UInt8](repeating: 0, count: 4_096)
            while ContinuousClock.now < deadline {
                var short = timeval(tv_sec: 0, tv_usec: 200_000)
                setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &short, socklen_t(MemoryLayout<timeval>.size))
                let count = recv(socket, &chunk, chunk.count, 0)
                if count == 0 || (count < 0 && errno == ECONNRESET) { return String(decoding: received, as: UTF8.self) }
                if count > 0 { received += chunk[..<count] }
            }
            throw Failure(description: "the server kept the connection open for \(timeout)")
        }
    }

    /// Closes the connection.
    func close() {
        shutdown(socket, Int32(SHUT_RDWR))
    }

    private func headEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10
        {
            return index
        }
        return nil
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let count = recv(socket, &chunk, chunk.count, 0)
        guard count > 0 else { throw Failure(description: count == 0 ? "the server closed the connection" : "recv failed: \(errno)") }
        buffer += chunk[..<count]
    }

    /// Runs blocking socket calls on a thread of their own.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
