import BulwarkTestSupport
import Foundation
import Resilience
import Testing

@testable import BulwarkService

/// Bad routes files stop the start-up with an error naming the route and the key, never a value.
@Suite("Gateway configuration")
struct GatewayConfigurationTests {
    private func problem(_ json: String) -> String? {
        do {
            _ = try GatewayConfiguration.parse(Data(json.utf8))
            return nil
        } catch {
            return error.message
        }
    }

    private func routes(_ route: String) -> String {
        #"{"routes": [\#(route)]}"#
    }

    @Test("a good file gives routes with their profiles, prefixes and upstreams")
    func goodFile() throws {
        let configuration = try GatewayConfiguration.parse(
            Data(
                #"""
                {"maxRequestBodyBytes": 2048, "routes": [
                  {"name": "pay", "pathPrefix": "/pay", "upstreams": ["http://127.0.0.1:9000/v1/"], "policy": "external-api"},
                  {"name": "all", "pathPrefix": "/", "host": "Search.Internal", "upstreams": ["https://a.example", "https://b.example:8443"],
                   "policy": {"timeout": "2s", "retry": null}}
                ]}
                """#.utf8
            )
        )
        #expect(configuration.maxRequestBodyBytes == 2_048)
        #expect(configuration.routes.count == 2)
        let pay = configuration.routes[0]
        #expect(pay.profile.circuitBreaker != nil)
        #expect(pay.upstreams[0].url(remainder: "/charges", query: "a=1") == "http://127.0.0.1:9000/v1/charges?a=1")
        let all = configuration.routes[1]
        #expect(all.host == "search.internal")
        #expect(all.profile.retry == nil)
        #expect(all.profile.timeout == .seconds(2))
        #expect(all.breakerName(upstream: 1) == "gateway.all.2")
        #expect(configuration.route(host: "search.internal", path: "/pay/x")?.name == "pay")
        #expect(configuration.route(host: nil, path: "/payments")?.name == nil)
        #expect(configuration.route(host: "search.internal", path: "/payments")?.name == "all")
    }

    @Test(
        "each bad value is named by its route and key",
        arguments: [
            (#"{"name": "Bad Name", "pathPrefix": "/a", "upstreams": ["http://h"]}"#, "routes[0]: key 'name'"),
            (#"{"name": "a", "pathPrefix": "a/", "upstreams": ["http://h"]}"#, "route 'a': key 'pathPrefix'"),
            (#"{"name": "a", "pathPrefix": "/a/../b", "upstreams": ["http://h"]}"#, "route 'a': key 'pathPrefix'"),
            (#"{"name": "a", "pathPrefix": "/a", "upstreams": []}"#, "route 'a': key 'upstreams'"),
            (#"{"name": "a", "pathPrefix": "/a", "upstreams": ["ftp://h"]}"#, "route 'a': key 'upstreams[0]': url: the scheme must be http or https"),
            (
                #"{"name": "a", "pathPrefix": "/a", "upstreams": ["http://user:hunter2@h"]}"#,
                "route 'a': key 'upstreams[0]': must not carry user information"
            ),
            (#"{"name": "a", "pathPrefix": "/a", "upstreams": ["http://h?x=1"]}"#, "route 'a': key 'upstreams[0]': must not have a query"),
            (#"{"name": "a", "pathPrefix": "/a", "host": "h:80", "upstreams": ["http://h"]}"#, "route 'a': key 'host'"),
            (#"{"name": "a", "pathPrefix": "/a", "upstreams": ["http://h"], "policy": "fast"}"#, "route 'a': key 'policy': unknown profile"),
            (#"{"name": "a", "pathPrefix": "/a", "upstreams": ["http://h"], "policy": {"timeout": "soon"}}"#, "route 'a': key 'policy.timeout'"),
            (#"{"name": "a", "pathPrefix": "/a", "upstreams": ["http://h"], "policy": {"retry": {"retries": -1}}}"#, "route 'a': key 'policy.retry"),
            (#"{"name": "a", "pathPrefix": "/a", "upstreams": ["http://h"], "policy": {"retyr": {}}}"#, "route 'a': key 'policy'"),
            (#"{"name": "a", "pathPrefix": "/a", "upstreams": ["http://h"], "upstream": "http://h"}"#, "route 'a': unknown key 'upstream'"),
        ]
    )
    func badRoute(route: String, expected: String) {
        let message = problem(routes(route))
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "accepted")")
        #expect(message?.contains("hunter2") != true)
    }

    @Test("duplicate routes, empty files and bad limits are refused")
    func badDocument() {
        let twice = #"{"name": "a", "pathPrefix": "/a", "upstreams": ["http://h"]}"#
        #expect(problem(routes(twice + "," + twice))?.hasPrefix("route 'a': key 'name'") == true)
        let samePrefix = #"{"name": "b", "pathPrefix": "/a", "upstreams": ["http://h"]}"#
        #expect(problem(routes(twice + "," + samePrefix))?.hasPrefix("route 'b': key 'pathPrefix'") == true)
        #expect(problem(#"{"routes": []}"#)?.hasPrefix("key 'routes'") == true)
        #expect(problem("[1]") == "must hold one JSON object")
        #expect(problem(#"{"routes": [\#(twice)], "maxRequestBodyBytes": 0}"#)?.hasPrefix("key 'maxRequestBodyBytes'") == true)
        #expect(problem(#"{"routes": [\#(twice)], "maxRequestBodyBytes": 1.5}"#)?.hasPrefix("key 'maxRequestBodyBytes'") == true)
        #expect(problem(#"{"routes": [\#(twice)], "listen": 1}"#)?.hasPrefix("unknown key 'listen'") == true)
    }

    @Test("bulwark serve with a bad routes file exits with the file, route and key named")
    func serveRefusesBadRoutes() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UInt32.random(in: 0...UInt32.max)).json")
        try Data(routes(#"{"name": "pay", "pathPrefix": "/pay", "upstreams": ["gopher://h"]}"#).utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let serve = try OutputProcess(
            ServeProcess.executable,
            ["serve", "--gateway-routes", file.path],
            environment: ["REDIS_URL": "redis://127.0.0.1:1", "BULWARK_PORT": "0"]
        )
        let exited = await serve.waitForExit(timeout: .seconds(60))
        #expect(exited)
        #expect(serve.exitStatus != 0)
        #expect(serve.text.contains("route 'pay': key 'upstreams[0]'"), "\(serve.text)")
    }
}
