import BulwarkTestSupport
import Foundation
import Testing

@testable import BulwarkService

/// curl through two gateway instances on one Redis, to a real upstream: retries where safe, the fleet-wide
/// breaker, the error envelope and the headers each way.
@Suite("Gateway proxying", .serialized)
struct GatewayProxyTests {
    @Test("a GET that fails twice is retried and answered; headers are forwarded as a proxy must")
    func retriedGet() async throws {
        try await GatewayFleet.run(routes: GatewayFleet.standardRoutes) { fleet in
            fleet.upstream.script("/v1/orders/7", [.init(status: 503), .init(status: 502)])
            let result = try await CurlResult.run([
                fleet.urls[0] + "/items/orders/7?page=2", "-H", "X-Correlation-ID: trace-42", "-H", "Authorization: Bearer caller-secret",
                "-H", "Connection: X-Hop", "-H", "X-Hop: dropped", "-H", "X-Forwarded-For: 10.1.2.3", "-H", "Forwarded: for=10.9.9.9;proto=https",
            ])
            #expect(result.status == 200)
            #expect(result.headers["x-correlation-id"] == "trace-42")
            let received = fleet.upstream.received("/v1/orders/7")
            #expect(received.count == 3)
            let last = try #require(received.last)
            #expect(last.headers["x-correlation-id"] == "trace-42")
            #expect(last.headers["x-forwarded-for"] == "10.1.2.3, 127.0.0.1")
            #expect(last.headers["x-forwarded-proto"] == "http")
            #expect(last.headers["x-forwarded-host"]?.hasPrefix("127.0.0.1:") == true)
            #expect(last.headers["authorization"] == "Bearer caller-secret")
            #expect(last.headers["x-hop"] == nil)
            // The caller cannot speak for the gateway in RFC 7239's header either.
            #expect(last.headers["forwarded"] == nil)

            let metrics = String(decoding: ServiceMetrics.render(), as: UTF8.self)
            #expect(metrics.contains(#"bulwark_gateway_retries_total{route="items"}"#))
            #expect(metrics.contains(#"bulwark_gateway_upstream_duration_seconds_bucket{route="items""#))
            #expect(metrics.contains(#"bulwark_gateway_requests_total{route="items",status="200"}"#))
        }
    }

    @Test("a POST is retried only with an Idempotency-Key, and then with the same key and body")
    func postRetriedOnlyWithKey() async throws {
        try await GatewayFleet.run(routes: GatewayFleet.standardRoutes) { fleet in
            fleet.upstream.script("/v1/charges", [.init(status: 503)])
            let unkeyed = try await CurlResult.run([fleet.urls[0] + "/items/charges", "-X", "POST", "-d", "amount=1"])
            #expect(unkeyed.status == 503)
            #expect(fleet.upstream.received("/v1/charges").count == 1)

            fleet.upstream.script("/v1/charges", [.init(status: 503)])
            let keyed = try await CurlResult.run([
                fleet.urls[1] + "/items/charges", "-X", "POST", "-d", "amount=2", "-H", "Idempotency-Key: charge-2",
            ])
            #expect(keyed.status == 200)
            let received = fleet.upstream.received("/v1/charges")
            #expect(received.count == 3)
            let keyedAndWhole = received.dropFirst().allSatisfy { $0.idempotencyKey == "charge-2" && $0.body == "amount=2" }
            #expect(keyedAndWhole)
        }
    }

    @Test("failures through gateway A open the breaker that gateway B then answers 503 with, naming route and breaker")
    func breakerTrippedFleetWide() async throws {
        try await GatewayFleet.run(routes: GatewayFleet.standardRoutes) { fleet in
            fleet.upstream.script("/v1/stock", Array(repeating: .init(status: 500), count: 3))
            let failing = try await CurlResult.run([fleet.urls[0] + "/items/stock"])
            #expect(failing.status == 500)
            #expect(fleet.upstream.received("/v1/stock").count == 3)

            // B learns the open state through Redis: wait for it with a deadline (the upstream is healthy again).
            var refused: CurlResult?
            let deadline = ContinuousClock.now + .seconds(30)
            while refused == nil, ContinuousClock.now < deadline {
                let answer = try await CurlResult.run([fleet.urls[1] + "/items/stock"])
                if answer.status == 503 { refused = answer } else { try await Task.sleep(for: .milliseconds(50)) }
            }
            let open = try #require(refused, "gateway B never refused with the breaker open")
            #expect(open.envelope["code"] as? String == "breaker_open")
            #expect(open.details["route"] as? String == "items")
            #expect(open.details["breaker"] as? String == "gateway.items.1")
            #expect(Int(open.headers["retry-after"] ?? "") ?? 0 >= 1)
            #expect(open.headers["content-type"]?.hasPrefix("application/json") == true)
        }
    }

    @Test("a hanging upstream is answered 504 and an unreachable one 502, each naming the route")
    func timeoutAndUnreachable() async throws {
        try await GatewayFleet.run(routes: GatewayFleet.standardRoutes) { fleet in
            fleet.upstream.script("/hang", [.init(status: 200, delay: .seconds(30))])
            let slow = try await CurlResult.run([fleet.urls[0] + "/slow/hang"])
            #expect(slow.status == 504)
            #expect(slow.envelope["code"] as? String == "gateway_timeout")
            #expect(slow.details["route"] as? String == "slow")

            let dead = try await CurlResult.run([fleet.urls[1] + "/dead/anything"])
            #expect(dead.status == 502)
            #expect(dead.envelope["code"] as? String == "bad_gateway")
            #expect(dead.details["breaker"] as? String == "gateway.dead.1")
        }
    }

    @Test("hostile requests are refused with the envelope and never reach the upstream")
    func hostileRequests() async throws {
        try await GatewayFleet.run(instances: 1, routes: GatewayFleet.standardRoutes) { fleet in
            let url = fleet.urls[0]
            let cases: [(arguments: [String], status: Int, code: String)] = [
                (["--path-as-is", url + "/items/../admin"], 400, "validation_failed"),
                (["--path-as-is", url + "/items/%2e%2e/admin"], 400, "validation_failed"),
                // Path parameters after a dot segment: Tomcat, Jetty and Spring drop them and resolve the `..`.
                (["--path-as-is", url + "/items/..;/admin"], 400, "validation_failed"),
                (["--path-as-is", url + "/items/%2e%2e%3bx/admin"], 400, "validation_failed"),
                ([url + "/items/a%2Fb"], 400, "validation_failed"),
                ([url + "/elsewhere"], 404, "not_found"),
                ([url + "/itemsx"], 404, "not_found"),
                ([url + "/items/x", "-X", "TRACE"], 405, "method_not_allowed"),
                ([url + "/items/x", "-H", "Host: bad_host!"], 400, "validation_failed"),
                ([url + "/items/x", "-H", "X-Correlation-ID: not valid!"], 400, "validation_failed"),
                ([url + "/items/big", "-X", "POST", "--data-binary", String(repeating: "x", count: 2_048)], 413, "payload_too_large"),
            ]
            for refused in cases {
                let result = try await CurlResult.run(refused.arguments)
                #expect(result.status == refused.status, "\(refused.arguments)")
                #expect(result.envelope["code"] as? String == refused.code, "\(refused.arguments)")
            }
            #expect(fleet.upstream.received("/v1/big").isEmpty)
            #expect(fleet.upstream.received("/v1/x").isEmpty)
            let metrics = String(decoding: ServiceMetrics.render(), as: UTF8.self)
            #expect(metrics.contains(#"bulwark_gateway_rejections_total{route="unmatched",reason="no_route"}"#))
        }
    }
}
