import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A real HTTP server on a free loopback port: it answers each path as the test scripted it and records every
/// request it got (bounded).
final class Upstream: Sendable {
    /// One scripted answer.
    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        /// How long the server waits before answering.
        var delay: Duration?
    }

    /// A request as the server saw it.
    struct Received: Sendable {
        var method: String
        var path: String
        var idempotencyKey: String?
        var client: String?
        var body: String
    }

    private struct State {
        var scripts: [String: [Reply]] = [:]
        var received: [Received] = []
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let listening = Mutex<Int?>(nil)

    /// The port it listens on.
    var port: Int { listening.withLock { $0 } ?? 0 }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Starts a server and waits until it listens.
    static func start() async throws -> Upstream {
        let upstream = Upstream()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in try await upstream.answer(request) }
        var logger = Logger(label: "upstream")
        logger.logLevel = .warning
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

    private struct UpstreamDidNotStart: Error {}

    /// Stops the server, cancelling requests it still holds.
    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = try? await running?.value
    }

    /// Each request to `path` takes the next of `replies`; once they are used up, `200 ok`.
    func script(_ path: String, _ replies: [Reply]) {
        state.withLock { $0.scripts[path] = replies }
    }

    /// The requests received for `path`, in order.
    func received(_ path: String) -> [Received] {
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
            body: String(buffer: body)
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
