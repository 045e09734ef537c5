import BulwarkTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RedisClient
import RedisTestSupport
import Testing

@testable import BulwarkService

/// The HTTP surface attacked as a whole: every route the router holds, under every spelling, credential and
/// content type an attacker would try, with extreme numbers and control characters in every field, slow
/// clients, 500 event streams and a lockout attempt — against one real `bulwark serve` on a real Redis, which
/// must still be alive afterwards with Redis holding exactly what it held before.
@Suite(.serialized) struct AdversarialTests {
    static let wrongToken = "adversary-token-0123456789abcdef"

    /// The routes of a real router and what each declared, built in-process (nothing connects).
    static func routes() throws -> (router: [Router<BulwarkRequestContext>.RouteDescription], table: [RouteTable.Route]) {
        var configuration = ServiceConfiguration()
        configuration.adminToken = ExposedInstance.token
        var logger = Logger(label: "routes")
        logger.logLevel = .critical
        let components = try ServiceComponents(configuration: configuration, logger: logger)
        defer { components.client.shutdown() }
        let service = ServiceRouter(components: components, logger: logger)
        return (service.router.routes, service.table.all)
    }

    /// A concrete path for a route, its parameters filled with values the seeded instance knows.
    static func concrete(_ path: String) -> String {
        let values: [(String, String)] = [
            ("{name}", ExposedInstance.breaker), ("{action}", "open"), ("{queue}", ExposedInstance.queue), ("{id}", "1-0"), ("{key}", "order-7"),
            ("{policy}", "retry"),
        ]
        var result = path
        for (parameter, value) in values { result = result.replacingOccurrences(of: parameter, with: value) }
        return result
    }

    /// Spellings of `path` that a lenient router might resolve to the same route.
    static func variants(of path: String, port: Int) -> [String] {
        let segments = path.split(separator: "/").map(String.init)
        let absolute = "http://127.0.0.1:\(port)"
        var result: [String] = [path, "/" + path, path + "/", path.uppercased(), absolute + path, absolute + "/" + path]
        for index in 1..<segments.count {
            let head: String = segments[..<index].joined(separator: "/")
            let tail: String = segments[index...].joined(separator: "/")
            result.append("/" + head + "//" + tail)
            result.append("/" + head + "/./" + tail)
            result.append("/" + head + "/zz/../" + tail)
            result.append("/" + head + "%2F" + tail)
        }
        if let first = segments.last?.unicodeScalars.first {
            let encoded = String(format: "%%%02X", first.value)
            result.append("/" + segments.dropLast().joined(separator: "/") + "/" + encoded + segments.last!.dropFirst())
        }
        return result
    }

    @Test func everyRouteIsDeclaredAndEveryChangeIsAPost() throws {
        let (router, table) = try Self.routes()
        let declaresAChange = table.contains { $0.access == .change }
        #expect(!router.isEmpty && declaresAChange, "the enumeration found the routes")
        for route in router where !RouteAccess.isSafe(route.method) {
            let declaredAChange = table.contains { $0.access == .change && $0.method == route.method && $0.path == route.path.description }
            #expect(declaredAChange, "\(route) changes something but is not declared a change")
        }
        for declared in table where declared.access == .change {
            let routedAsAPost = router.contains { $0.method == .post && $0.path.description == declared.path }
            #expect(routedAsAPost, "\(declared.path) is declared but not routed")
        }
    }

    @Test func theInstanceSurvivesTheWholeAttackAndRedisIsUnchanged() async throws {
        let changes = try Self.routes().table.filter { $0.access == .change }
        try await ExposedInstance.run(environment: ["BULWARK_REQUEST_READ_TIMEOUT_S": "2", "BULWARK_IDLE_TIMEOUT_S": "2"]) { instance in
            let before = try await instance.snapshot()
            var sent = 0

            // Every mutating route, under every spelling: no token, a wrong token, the token with a form body.
            for route in changes {
                for target in Self.variants(of: Self.concrete(route.path), port: instance.serve.port) {
                    let anonymous = try await instance.request("POST", target)
                    #expect([400, 401, 404].contains(anonymous.status), "POST \(target) without a token: \(anonymous.status)")
                    let wrong = try await instance.request("POST", target, token: Self.wrongToken, source: "127.0.0.4")
                    #expect([400, 401, 404, 429].contains(wrong.status), "POST \(target) with a wrong token: \(wrong.status)")
                    let form = try await instance.request(
                        "POST",
                        target,
                        token: ExposedInstance.token,
                        headers: [("Content-Type", "application/x-www-form-urlencoded")],
                        body: "keys=user:1"
                    )
                    #expect([400, 404, 415].contains(form.status), "POST \(target) with a form body: \(form.status)")
                    for response in [anonymous, wrong, form] where response.status != 404 || !response.body.isEmpty {
                        #expect(response.envelope["code"] is String, "\(target): not the envelope: \(response.body)")
                    }
                    sent += 3
                }
            }

            // Extreme numbers in every numeric field.
            let extremes = [
                "-1", "0", "1001", "2147483648", "9223372036854775807", "9223372036854775808", "18446744073709551616", "1e308", "-1e308", "1.5",
                "\"1\"", "null", "true", "[]", "{}",
            ]
            for value in extremes where value != "1001" {
                let purge = try await instance.request(
                    "POST",
                    "/api/v1/dlq/orders/purge",
                    token: ExposedInstance.token,
                    headers: [("Content-Type", "application/json")],
                    body: #"{"olderThanSeconds":\#(value)}"#
                )
                #expect(purge.status == 400, "olderThanSeconds \(value): \(purge.status)")
                sent += 1
            }
            for value in extremes {
                let retry = try await instance.request(
                    "POST",
                    "/api/v1/dlq/orders/retry",
                    token: ExposedInstance.token,
                    headers: [("Content-Type", "application/json")],
                    body: #"{"limit":\#(value)}"#
                )
                #expect(retry.status == 400, "limit \(value): \(retry.status)")
                let page = try await instance.request(
                    "GET",
                    "/api/v1/dlq/orders?limit=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                )
                #expect(page.status == 400, "?limit=\(value): \(page.status)")
                sent += 2
            }
            for id in ["99999999999999999999999-0", "1-99999999999999999999999", "-1-0", "18446744073709551616-18446744073709551616"] {
                let letter = try await instance.request("POST", "/api/v1/dlq/orders/\(id)/retry", token: ExposedInstance.token)
                #expect(letter.status == 400, "letter id \(id): \(letter.status)")
                sent += 1
            }

            // Control characters in every string field (bodies, path parameters, queries, headers).
            let hostile = "a\\r\\n2026-01-01 forged\\u0000\\u001b[2J\\u2028"
            let encoded = "a%0D%0A2026-01-01%20forged%00%1B%5B2J%E2%80%A8"
            let bodies = [
                ("/api/v1/cache/invalidate", #"{"keys":["\#(hostile)"]}"#), ("/api/v1/cache/invalidate", #"{"prefix":"\#(hostile)"}"#),
                ("/api/v1/cache/invalidate", #"{"tag":"\#(hostile)"}"#), ("/api/v1/sessions/revoke", #"{"user":"\#(hostile)"}"#),
                ("/api/v1/sessions/revoke", #"{"id":"\#(hostile)"}"#),
            ]
            for (path, body) in bodies {
                let response = try await instance.request(
                    "POST",
                    path,
                    token: ExposedInstance.token,
                    headers: [("Content-Type", "application/json")],
                    body: body
                )
                #expect((200..<500).contains(response.status), "\(path) \(body): \(response.status)")
                sent += 1
            }
            for route in changes {
                let target = route.path.replacingOccurrences(of: #"\{[a-z]+\}"#, with: encoded, options: .regularExpression)
                let response = try await instance.request("POST", target + "?scope=\(encoded)", token: ExposedInstance.token)
                #expect((400..<500).contains(response.status), "\(target): \(response.status)")
                sent += 1
            }
            for target in [
                "/api/v1/cache?key=\(encoded)", "/api/v1/sessions?user=\(encoded)", "/api/v1/idempotency/\(encoded)?scope=\(encoded)",
                "/api/v1/breakers/\(encoded)", "/api/v1/dlq/\(encoded)?after=\(encoded)",
            ] {
                let response = try await instance.request("GET", target, headers: [("X-Correlation-ID", "x\u{7F}y")])
                #expect((400..<500).contains(response.status), "\(target): \(response.status)")
                sent += 1
            }

            // Slow clients: half-sent headers and half-sent bodies are closed within the timeouts; nothing half-read
            // is carried out (an anonymous change is refused at once, before its body).
            let partials = [
                "GET /health/live HTTP/1.1\r\nHost: x\r\n",
                "POST /api/v1/cache/invalidate HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{",
                "POST /api/v1/cache/invalidate HTTP/1.1\r\nAuthorization: Bearer \(ExposedInstance.token)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 50\r\n\r\n{\"keys\":",
            ]
            for partial in partials {
                let slow = try await RawHTTPConnection.open(port: instance.serve.port)
                try await slow.send(partial)
                let answer = try await slow.waitForClose(timeout: .seconds(20))
                #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 408") || answer.hasPrefix("HTTP/1.1 401"), "\(answer)")
                sent += 1
            }

            // 500 event streams: the first `maximumEventStreams` (100 by default) open, the rest are refused.
            var streams: [RawHTTPConnection] = []
            var statuses: [Int: Int] = [:]
            for _ in 0..<500 {
                let stream = try await RawHTTPConnection.open(port: instance.serve.port)
                let head = try await stream.request("GET", "/api/v1/events", keepAlive: true)
                statuses[head.status, default: 0] += 1
                if head.status == 200 { streams.append(stream) } else { stream.close() }
            }
            #expect(statuses == [200: 100, 503: 400], "\(statuses)")
            #expect(await instance.isAlive(), "the instance answers with every stream open")
            for stream in streams { stream.close() }
            sent += 500

            // The lockout sequence: a guesser locks out only its own address.
            for _ in 0..<10 {
                #expect(
                    try await instance.request("POST", "/api/v1/idempotency/none/delete", token: Self.wrongToken, source: "127.0.0.5").status == 401
                )
            }
            #expect(
                try await instance.request("POST", "/api/v1/idempotency/none/delete", token: ExposedInstance.token, source: "127.0.0.5").status == 429
            )
            #expect(try await instance.request("POST", "/api/v1/idempotency/none/delete", token: ExposedInstance.token).status == 404)
            sent += 12

            #expect(await instance.isAlive())
            #expect(try await instance.snapshot() == before)
            let log = instance.serve.process.text
            #expect(!log.contains("forged\u{0}") && !log.contains("\u{1B}[2J") && !log.contains("\r\n2026-01-01 forged"))
            #expect(!log.contains("Fatal error"), "\(log.suffix(2_000))")
            print("adversarial: \(sent) requests against \(changes.count) change routes")
        }
    }
}
