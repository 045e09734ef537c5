import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A real HTTP server on a free loopback port, the upstream of the HTTP client's and the example app's tests: it
/// answers each path as the test scripted it (`200` once the script is used up) and records every request it got
/// (the first 10,000), so a test can count what reached it.
///
/// ```swift
/// let upstream = try await ScriptedUpstream.start()
/// upstream.script("/charges", Array(repeating: ScriptedUpstream.Reply(status: 503), count: 10))   // failing
/// upstream.script("/charges", [])                                                                // healthy again
/// let calls = upstream.received("/charges").count
/// ```
public final class ScriptedUpstream: Sendable {
    /// One scripted answer.
    public struct Reply: Sendable {
        /// The status code.
        public var status: Int
        /// Header fields, by name and value.
        public var headers: [(String, String)]
        /// How long the server waits before answering; `nil` for no wait.
        public var delay: Duration?

        /// Creates an answer.
        /// - Parameters:
        ///   - status: The status code.
        ///   - headers: Header fields, by name and value.
        ///   - delay: How long the server waits before answering.
        public init(status: Int, headers: [(String, String)] = [], delay: Duration? = nil) {
            self.status = status
            self.headers = headers
            self.delay = delay
        }
    }

    /// A request as the server saw it.
    public struct Received: Sendable {
        /// The method.
        public var method: String
        /// The path, without the query.
        public var path: String
        /// The `Idempotency-Key` header, if any.
        public var idempotencyKey: String?
        /// The `X-Client` header, if any.
        public var client: String?
        /// The body as text.
        public var body: String
        /// Every header field, by lowercased name (the last value of a repeated one).
        public var headers: [String: String]
    }

    private struct State {
        var scripts: [String: [Reply]] = [:]
        var received: [Received] = []
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let listening = Mutex<Int?>(nil)

    /// The port it listens on.
    public var port: Int { listening.withLock { $0 } ?? 0 }

    /// `http://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Starts a server on a free loopback port and waits until it listens (5 s at most).
    /// - Returns: The running server.
    /// - Throws: When it does not listen in time.
    public static func start() async throws -> ScriptedUpstream {
        let upstream = ScriptedUpstream()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in try await upstream.answer(request) }
        var logger = Logger(label: "upstream")
        // Stopping cancels the server, which Hummingbird logs at error: nothing a test needs to read.
        logger.logLevel = .critical
        let application = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in upstream.listening.withLock { $0 = channel.localAddress?.port } },
            logger: logger
        )
        upstream.task.withLock { $0 = Task { try await application.run() } }
        for _ in 0..<500 where upstream.port == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        guard upstream.port != 0 else { throw UpstreamDidNotStart() }
        return upstream
    }

    private struct UpstreamDidNotStart: Error, CustomStringConvertible {
        var description: String { "the scripted upstream did not listen within 5 s" }
    }

    /// Stops the server, cancelling requests it still holds.
    public func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = try? await running?.value
    }

    /// Each request to `path` takes the next of `replies`; once they are used up, `200 ok`. Replaces what was
    /// left of the path's earlier script, so an empty list makes the path healthy again.
    public func script(_ path: String, _ replies: [Reply]) {
        state.withLock { $0.scripts[path] = replies }
    }

    /// The requests received for `path`, in order.
    public func received(_ path: String) -> [Received] {
        state.withLock { $0.received.filter { $0.path == path } }
    }

    private func answer(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let path = request.uri.path
        let received = Received(
            method: request.method.rawValue,
            path: path,
            idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!],
            client: request.headers[HTTPField.Name("X-Client")!],
            body: String(buffer: body),
            headers: Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }) { $1 }
        )
        let reply = state.withLock { state -> Reply in
            if state.received.count < 10_000 { state.received.append(received) }
            guard var replies = state.scripts[path], !replies.isEmpty else { return Reply(status: 200) }
            let reply = replies.removeFirst()
            state.scripts[path] = replies
            return reply
        }
        if let delay = reply.delay { try await Task.sleep(for: delay) }
        var headers = HTTPFields()
        for (name, value) in reply.headers { headers[HTTPField.Name(name)!] = value }
        return Response(
            status: HTTPResponse.Status(code: reply.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: "answer \(reply.status)"))
        )
    }
}
