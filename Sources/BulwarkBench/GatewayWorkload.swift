import BulwarkService
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// W13: requests/s and p99 of `GET`s with 1 KiB answers through one Bulwark gateway instance (the `standard`
/// profile, its breaker shared through Redis), beside the same upstream called directly and through nginx as a
/// plain reverse proxy, in the same run: `wrk`, 64 connections, rounds of the three interleaved so that drift on a
/// shared machine hits all alike. Target: the gateway ≥ 0.5 × nginx's requests/s, p99 added over direct ≤ 2 ms.
struct GatewayWorkload: BenchWorkload {
    let id = "W13"
    let name = "gateway"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        guard let redisURL = context.redisURL else { throw MiddlewareWrk.Failure(description: "W13 needs Redis") }
        let logger = context.quietLogger()
        let upstream = try await Self.startUpstream(logger: logger)
        let routes = try GatewayConfiguration(json: Data(Self.routes(upstream: upstream.port).utf8))
        var service = ServiceConfiguration()
        service.redisURL = redisURL
        service.gatewayPort = 0
        service.keyPrefix = "bench-w13"
        let gatewayPort = Mutex(0)
        let gateway = try GatewayApplication.make(routes: routes, service: service, instanceID: "bench-w13", logger: logger) { port in
            gatewayPort.withLock { $0 = port }
        }
        let group = ServiceGroup(services: [upstream.application, gateway], gracefulShutdownSignals: [], logger: logger)
        let running = Task { try await group.run() }
        for _ in 0..<1_000 where gatewayPort.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let listening = gatewayPort.withLock { $0 }
        let nginx: GatewayNginx
        do {
            nginx = try await GatewayNginx.start(port: GatewayNginx.freePort(), upstream: upstream.port)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }

        let rounds = context.scaled(3, quick: 1)
        let seconds = context.scaled(10, quick: 2)
        let targets = [
            ("direct", "http://127.0.0.1:\(upstream.port)/data"), ("nginx", "http://127.0.0.1:\(nginx.port)/data"),
            ("gateway", "http://127.0.0.1:\(listening)/data"),
        ]
        var figures: [String: [MiddlewareWrk.Figures]] = [:]
        do {
            guard listening > 0 else { throw MiddlewareWrk.Failure(description: "the gateway did not listen") }
            for round in 0..<rounds {
                for (target, url) in targets {
                    context.progress("W13 round \(round + 1)/\(rounds) \(target): wrk GET, 64 connections, \(seconds) s")
                    let arguments = ["-t2", "-c64", "-d\(seconds)s", "--timeout", "5s", "--latency", url]
                    let output: Result<String, MiddlewareWrk.Failure> = await withCheckedContinuation { continuation in
                        Thread { continuation.resume(returning: MiddlewareWrk.execute(arguments)) }.start()
                    }
                    figures[target, default: []].append(try MiddlewareWrk.parse(try output.get()))
                }
            }
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            await nginx.stop()
            throw error
        }
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await nginx.stop()
        emit(figures, in: context)
    }

    private func emit(_ figures: [String: [MiddlewareWrk.Figures]], in context: BenchContext) {
        let direct = Self.median(figures["direct"] ?? [])
        let nginx = Self.median(figures["nginx"] ?? [])
        for target in ["direct", "nginx", "gateway"] {
            let runs = figures[target] ?? []
            let median = Self.median(runs)
            var line = BenchLine(id: id, workload: name)
            line["target"] = .string(target)
            line["connections"] = .int(64)
            line["response_bytes"] = .int(1_024)
            line["runs"] = .int(runs.count)
            line["n"] = .int(median.requests)
            line["ops_per_s"] = .int(Int(median.requestsPerSecond))
            line["p50_us"] = .double(median.p50Microseconds)
            line["p99_us"] = .double(median.p99Microseconds)
            line["non_2xx"] = .int(runs.reduce(0) { $0 + $1.non2xx })
            if target != "direct" { line["p99_added_over_direct_us"] = .double(median.p99Microseconds - direct.p99Microseconds) }
            if target == "gateway" {
                line.addReference(tool: "nginx reverse proxy (wrk -c 64)", opsPerSecond: nginx.requestsPerSecond, ours: median.requestsPerSecond)
            }
            context.emit(line)
        }
    }

    /// One route taking everything to the upstream, with the `standard` profile.
    private static func routes(upstream: Int) -> String {
        #"{"routes": [{"name": "bench", "pathPrefix": "/", "upstreams": ["http://127.0.0.1:\#(upstream)"], "policy": "standard"}]}"#
    }

    /// A Hummingbird upstream answering every request with 1 KiB.
    private static func startUpstream(logger: Logger) async throws -> (application: some Service, port: Int) {
        let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1_024)
        let port = GatewayNginx.freePort()
        let application = Application(
            responder: CallbackResponder<BasicRequestContext> { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: body)) },
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)),
            logger: logger
        )
        return (application, port)
    }

    /// The run with the median requests/s.
    private static func median(_ runs: [MiddlewareWrk.Figures]) -> MiddlewareWrk.Figures {
        let sorted = runs.sorted { $0.requestsPerSecond < $1.requestsPerSecond }
        return sorted.isEmpty
            ? MiddlewareWrk.Figures(requests: 0, requestsPerSecond: 0, p50Microseconds: .nan, p99Microseconds: .nan, non2xx: 0)
            : sorted[sorted.count / 2]
    }
}
