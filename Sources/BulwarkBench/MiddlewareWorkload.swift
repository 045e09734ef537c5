import BulwarkHummingbird
import Foundation
import Hummingbird
import Logging
import NIOCore
import RedisClient
import ServiceLifecycle
import SharedState

/// W10: requests/s of a Hummingbird route behind `IdempotencyMiddleware` — first executions (a new key per
/// request) and replays (one key) — beside the same route bare, in the same run: `wrk`, 16 connections,
/// rounds of bare, first and replay interleaved so that drift on a shared machine hits all three alike.
///
/// A fourth phase, `roundtrip`, is the bare route plus one Redis `GET`: a replay cannot cost less than the
/// one round trip that reads the stored answer, so `ratio_to_roundtrip` shows what the middleware adds beyond it.
struct MiddlewareWorkload: BenchWorkload {
    let id = "W10"
    let name = "middleware"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        let logger = context.quietLogger()
        let client = try context.makeClient(logger: logger)
        defer { client.shutdown() }
        let store = try IdempotencyStore(client: client, prefix: "bench-w10", logger: logger)
        let (ports, port) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: try Self.router(store: store, client: client),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in port.yield(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        let server = Task { try await group.run() }
        var listening = 0
        for await value in ports {
            listening = value
            break
        }
        guard listening > 0 else { throw MiddlewareWrk.Failure(description: "the bench's server did not start") }
        let script = try MiddlewareWrk.writeScript()
        defer { try? FileManager.default.removeItem(atPath: script) }

        let rounds = context.scaled(5, quick: 1)
        let seconds = context.scaled(4, quick: 2)
        let url = "http://127.0.0.1:\(listening)"
        var figures: [String: [MiddlewareWrk.Figures]] = [:]
        let phases = [("bare", "/bare/orders"), ("roundtrip", "/roundtrip/orders"), ("first", "/orders"), ("replay", "/orders")]
        for round in 0..<rounds {
            for (phase, path) in phases {
                context.progress("W10 round \(round + 1)/\(rounds) \(phase): wrk, 16 connections, \(seconds) s")
                let tag = "r\(round)-\(phase)-\(UInt32.random(in: 0...UInt32.max))"
                if phase == "replay" {
                    // One connection stores the answer first, so that the 16 measured ones all replay it
                    // (started together on a fresh key, all but one would be answered 409 while it runs).
                    _ = try await MiddlewareWrk.run(url: url, path: path, mode: phase, tag: tag, connections: 1, seconds: 1, scriptPath: script)
                }
                figures[phase, default: []].append(
                    try await MiddlewareWrk.run(url: url, path: path, mode: phase, tag: tag, connections: 16, seconds: seconds, scriptPath: script)
                )
            }
        }
        let bare = Self.median(figures["bare"] ?? [])
        let roundTrip = Self.median(figures["roundtrip"] ?? [])
        for (phase, _) in phases {
            let runs = figures[phase] ?? []
            let median = Self.median(runs)
            var line = BenchLine(id: id, workload: name)
            line["phase"] = .string(phase)
            line["connections"] = .int(16)
            line["runs"] = .int(runs.count)
            line["n"] = .int(median.requests)
            line["ops_per_s"] = .int(Int(median.requestsPerSecond))
            line["ops_per_s_min"] = .int(Int(runs.map(\.requestsPerSecond).min() ?? 0))
            line["ops_per_s_max"] = .int(Int(runs.map(\.requestsPerSecond).max() ?? 0))
            line["p50_us"] = .double(median.p50Microseconds)
            line["p99_us"] = .double(median.p99Microseconds)
            line["non_2xx"] = .int(runs.reduce(0) { $0 + $1.non2xx })
            if phase != "bare" {
                line.addReference(tool: "the same route bare (wrk -c 16)", opsPerSecond: bare.requestsPerSecond, ours: median.requestsPerSecond)
            }
            if phase == "first" || phase == "replay", roundTrip.requestsPerSecond > 0 {
                line["ratio_to_roundtrip"] = .double(median.requestsPerSecond / roundTrip.requestsPerSecond)
            }
            context.emit(line)
        }
        await group.triggerGracefulShutdown()
        try await server.value
    }

    /// `POST /bare/orders`, `POST /roundtrip/orders` (one Redis `GET` first) and `POST /orders` behind the
    /// idempotency middleware: the same handler, which reads the body and answers 201 with a small JSON body.
    private static func router(store: IdempotencyStore, client: RedisClient) throws -> Router<BasicRequestContext> {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: 4_096)
            return Response(
                status: .created,
                headers: [.contentType: "application/json", .location: "/orders/1"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"order":"o-1","bytes":\#(body.readableBytes)}"#))
            )
        }
        router.post("/bare/orders", use: handler)
        router.post("/roundtrip/orders") { request, context in
            _ = try await client.send("GET", "bench-w10:probe")
            return try await handler(request, context)
        }
        router.group("/orders").add(middleware: try IdempotencyMiddleware(store: store)).post(use: handler)
        return router
    }

    /// The run with the median requests/s.
    private static func median(_ runs: [MiddlewareWrk.Figures]) -> MiddlewareWrk.Figures {
        let sorted = runs.sorted { $0.requestsPerSecond < $1.requestsPerSecond }
        return sorted.isEmpty
            ? MiddlewareWrk.Figures(requests: 0, requestsPerSecond: 0, p50Microseconds: .nan, p99Microseconds: .nan, non2xx: 0)
            : sorted[sorted.count / 2]
    }
}
