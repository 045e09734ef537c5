import BulwarkTestSupport
import Foundation
import RedisClient
import RedisTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The example app as two separate `orders-example` processes on one Redis, as it would be deployed.
@Suite(.serialized) struct OrdersProcessesTests {
    /// The built `orders-example` beside the running test program, else in `.build/debug`.
    private static var executable: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("orders-example")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: ".build/debug/orders-example")
    }

    /// Starts one instance on a free port and returns it with its base URL.
    private func start(_ instance: String, redisURL: String) async throws -> (OutputProcess, String) {
        let process = try OutputProcess(Self.executable, [], environment: ["REDIS_URL": redisURL, "ORDERS_PORT": "0", "ORDERS_INSTANCE": instance])
        do {
            let port = try await process.waitFor("the 'orders-example serving' announcement") { text -> Int? in
                guard let line = text.split(separator: "\n").first(where: { $0.contains("orders-example serving") }),
                    let range = line.range(of: "port=")
                else { return nil }
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
            return (process, "http://127.0.0.1:\(port)")
        } catch {
            await process.terminate()
            throw error
        }
    }

    /// One request without cookie handling of URLSession's own: the test carries the session cookie itself.
    private func send(_ method: String, _ url: String, headers: [String: String] = [:], body: String? = nil) async throws -> (
        Int, [String: String], String
    ) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body.map { Data($0.utf8) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        let (data, response) = try await URLSession(configuration: configuration).data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return (http.statusCode, fields, String(decoding: data, as: UTF8.self))
    }

    @Test func twoProcessesShareOrdersAndSessions() async throws {
        let redis = try await RedisServerProcess.start()
        let (a, urlA) = try await start("a", redisURL: redis.url)
        let (b, urlB) = try await start("b", redisURL: redis.url)
        do {
            let (status, headers, _) = try await send(
                "POST",
                urlA + "/login",
                headers: ["Content-Type": "application/json"],
                body: #"{"user":"alice"}"#
            )
            #expect(status == 204)
            let setCookie = try #require(headers["set-cookie"])
            let cookie = String(setCookie.prefix { $0 != ";" })
            let order = ["Cookie": cookie, "Idempotency-Key": "p-1", "Content-Type": "application/json"]
            let first = try await send("POST", urlA + "/orders", headers: order, body: #"{"sku":"mug-1","quantity":1}"#)
            let retry = try await send("POST", urlB + "/orders", headers: order, body: #"{"sku":"mug-1","quantity":1}"#)
            #expect(first.0 == 201)
            #expect(retry.0 == 201)
            #expect(retry.2 == first.2)
            #expect(first.1["idempotent-replayed"] == nil)
            #expect(retry.1["idempotent-replayed"] == "true")
            let client = try RedisClient(url: redis.url)
            #expect(try await client.send("GET", "orders-example:next-id").int == 1)
            client.shutdown()
            // Touched on B, revoked on B, refused on A at once.
            #expect(try await send("GET", urlB + "/me", headers: ["Cookie": cookie]).2 == "alice")
            #expect(try await send("POST", urlB + "/logout", headers: ["Cookie": cookie]).0 == 204)
            #expect(try await send("GET", urlA + "/me", headers: ["Cookie": cookie]).0 == 401)
        } catch {
            Issue.record("A said:\n\(a.text)\nB said:\n\(b.text)")
            throw error
        }
        for process in [a, b] {
            process.signal(SIGTERM)
            #expect(await process.waitForExit(timeout: .seconds(30)), "a graceful stop")
            #expect(process.exitStatus == 0)
        }
        await redis.shutdown()
    }
}
