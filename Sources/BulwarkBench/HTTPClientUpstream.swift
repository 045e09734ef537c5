import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The local upstream of W11: a Hummingbird server on a free loopback port answering every request with
/// `200` and a short body.
final class HTTPClientUpstream: Sendable {
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let listening = Mutex<Int?>(nil)

    /// The port it listens on, once it does.
    var port: Int? { listening.withLock { $0 } }

    /// Starts the server and waits until it listens (10 s at most).
    static func start() async throws -> HTTPClientUpstream {
        let upstream = HTTPClientUpstream()
        let body = ByteBuffer(string: #"{"ok":true}"#)
        let responder = CallbackResponder<BasicRequestContext> { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: body)) }
        var logger = Logger(label: "bench-upstream")
        logger.logLevel = .error
        let application = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in upstream.listening.withLock { $0 = channel.localAddress?.port } },
            logger: logger
        )
        upstream.task.withLock { $0 = Task { try await application.run() } }
        for _ in 0..<1_000 where upstream.port == nil {
            try await Task.sleep(for: .milliseconds(10))
        }
        guard upstream.port != nil else { throw BenchUpstreamDidNotStart() }
        return upstream
    }

    /// Stops the server.
    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = try? await running?.value
    }
}

/// The upstream did not listen within 10 s.
struct BenchUpstreamDidNotStart: Error {}
