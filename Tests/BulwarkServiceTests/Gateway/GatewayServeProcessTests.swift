import BulwarkTestSupport
import Foundation
import RedisTestSupport
import Testing

/// `bulwark serve --gateway-routes` as operators run it: the gateway listens beside the admin API, and the admin
/// API's `/metrics` counts its requests.
@Suite("Gateway in bulwark serve")
struct GatewayServeProcessTests {
    @Test("a bulwark process forwards curl's call through its gateway and reports it on /metrics")
    func serveRunsTheGateway() async throws {
        let redis = try await RedisServerProcess.start()
        let upstream = try await ScriptedUpstream.start()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UInt32.random(in: 0...UInt32.max)).json")
        let routes = #"{"routes": [{"name": "shop", "pathPrefix": "/shop", "upstreams": ["\#(upstream.url("/api"))"]}]}"#
        try Data(routes.utf8).write(to: file)
        let serve: ServeProcess
        do {
            serve = try await ServeProcess.start(
                redisURL: redis.url,
                instance: "gateway-serve",
                adminToken: nil,
                arguments: ["--gateway-routes", file.path],
                environment: ["BULWARK_GATEWAY_PORT": "0"]
            )
        } catch {
            await upstream.stop()
            await redis.shutdown()
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        func check() async throws {
            let port = try await serve.process.waitFor("the gateway's announcement") { text -> Int? in
                guard let line = text.split(separator: "\n").first(where: { $0.contains("bulwark gateway listening") }),
                    let range = line.range(of: "port=")
                else { return nil }
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
            let answer = try await CurlResult.run(["http://127.0.0.1:\(port)/shop/cart"])
            #expect(answer.status == 200)
            #expect(upstream.received("/api/cart").count == 1)
            let metrics = try await CurlResult.run([serve.url + "/metrics"])
            #expect(metrics.body.contains(#"bulwark_gateway_requests_total{route="shop",status="200"} 1"#))
        }
        func stop() async {
            await serve.process.terminate()
            await upstream.stop()
            await redis.shutdown()
            try? FileManager.default.removeItem(at: file)
        }
        do {
            try await check()
        } catch {
            await stop()
            throw error
        }
        await stop()
    }
}
