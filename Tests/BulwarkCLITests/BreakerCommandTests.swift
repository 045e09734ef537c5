import BulwarkInstanceKit
import BulwarkTestSupport
import Foundation
import RedisTestSupport
import Resilience
import SharedState
import Testing

/// `bulwark breaker …` against a running `bulwark serve --demo` and a `bulwark-instance`, checked in Redis and in
/// what the instances do.
@Suite(.serialized) struct BreakerCommandTests {
    @Test func listAndShowDescribeEveryRegisteredBreakerAndTheInstancesThatReportIt() async throws {
        try await withCLIHarness(prefix: "cli-breakers") { harness in
            let serve = try await harness.serve(instance: "cli-serve", demo: true)
            defer { Task { await serve.process.terminate() } }
            let names = ["demo-catalog", "demo-payments", "demo-shipping"]
            let breakers = try await eventually(attempts: 200) {
                let list = try await harness.bulwark("breaker", "list", "--json")
                let breakers = try list.json()["breakers"] as? [[String: Any]] ?? []
                let reported = breakers.filter { ($0["instances"] as? [[String: Any]])?.first?["id"] as? String == "cli-serve" }
                guard reported.count == names.count else { throw NotYet() }
                return breakers
            }
            let listedNames = breakers.compactMap { $0["name"] as? String }
            #expect(listedNames == names)
            for breaker in breakers {
                #expect(breaker["state"] is String)
                #expect(breaker["generation"] is Int)
                #expect(breaker["scope"] as? String == "shared")
                #expect(breaker["rule"] as? String == "ratio")
                let instance = try #require((breaker["instances"] as? [[String: Any]])?.first)
                #expect(instance["live"] as? Bool == true)
                #expect(instance["reportedAt"] is String)
            }

            let show = try await harness.bulwark("breaker", "show", "demo-catalog", "--json")
            #expect(show.status == 0)
            let detail = try show.json()
            #expect(detail["name"] as? String == "demo-catalog")
            #expect((detail["configuration"] as? [String: Any])?["threshold"] as? Double == 0.5)
            #expect((detail["configuration"] as? [String: Any])?["halfOpenPermits"] as? Int == 2)

            let table = try await harness.bulwark("breaker", "list")
            #expect(table.status == 0)
            #expect(table.standardOutput.hasPrefix("BREAKER"))
            #expect(table.standardOutput.contains("cli-serve:"))
        }
    }

    @Test func openMakesEveryInstanceRejectAndResetLetsCallsThroughAgain() async throws {
        try await withCLIHarness { harness in
            let serve = try await harness.serve(instance: "cli-serve", demo: true)
            defer { Task { await serve.process.terminate() } }
            let instance = try await InstanceProcess.start(
                redisURL: harness.redis.url,
                instance: "cli-instance",
                arguments: ["--breaker", "cli-guarded"]
            )
            defer { instance.terminate() }
            #expect(try await instance.send("call ok").result == "ok")
            try await eventually(attempts: 200) {
                let known = try await InstanceDirectory().breakers(client: harness.client)
                guard known["cli-guarded"] != nil, known["demo-catalog"] != nil else { throw NotYet() }
            }

            let opened = try await harness.bulwark("breaker", "open", "cli-guarded", "--json")
            #expect(opened.status == 0, "\(opened.standardError)")
            let change = try opened.json()
            #expect(change["breaker"] as? String == "cli-guarded")
            #expect(change["action"] as? String == "open")
            #expect(change["state"] as? String == "isolated")
            let store = SharedBreakerStore(client: harness.client)
            #expect(try await store.read(try BreakerName("cli-guarded")).state == .isolated)
            try await eventually(attempts: 200) {
                guard try await instance.send("call ok").result == "rejected" else { throw NotYet() }
            }

            #expect(try await harness.bulwark("breaker", "open", "demo-catalog").status == 0)
            try await eventually(attempts: 200) {
                guard try await ServiceHTTP.metric(serve, #"bulwark_breaker_state{breaker="demo-catalog"}"#) == 3 else { throw NotYet() }
            }

            let reset = try await harness.bulwark("breaker", "reset", "cli-guarded")
            #expect(reset.status == 0)
            #expect(reset.standardOutput.contains("closed"))
            try await eventually(attempts: 200) {
                guard try await instance.send("call ok").result == "ok" else { throw NotYet() }
            }
            #expect(try await harness.bulwark("breaker", "reset", "demo-catalog").status == 0)
            try await eventually(attempts: 200) {
                guard try await ServiceHTTP.metric(serve, #"bulwark_breaker_state{breaker="demo-catalog"}"#) == 0 else { throw NotYet() }
            }

            #expect(try await harness.bulwark("breaker", "disable", "cli-guarded").status == 0)
            #expect(try await store.read(try BreakerName("cli-guarded")).state == .disabled)
            try await eventually(attempts: 200) {
                guard try await instance.send("state").state == "disabled" else { throw NotYet() }
            }
            #expect(try await harness.bulwark("breaker", "close", "cli-guarded").status == 0)
            #expect(try await store.read(try BreakerName("cli-guarded")).state == .closed)
        }
    }

    @Test func anUnknownOrMalformedBreakerIsOneLineAndWritesNothing() async throws {
        try await withCLIHarness { harness in
            let instance = try await InstanceProcess.start(redisURL: harness.redis.url, instance: "cli-instance", arguments: ["--breaker", "known"])
            defer { instance.terminate() }
            try await eventually(attempts: 200) {
                guard try await InstanceDirectory().breakers(client: harness.client)["known"] != nil else { throw NotYet() }
            }
            for action in ["open", "close", "reset", "disable", "show"] {
                let output = try await harness.bulwark("breaker", action, "paymnets")
                #expect(output.status == 66, "breaker \(action)")
                #expect(output.errorLines.count == 1)
                #expect(output.standardError.hasPrefix("bulwark: error: no instance has registered a breaker named 'paymnets'"))
                #expect(output.standardOutput.isEmpty)
            }
            #expect(try await !harness.exists("bulwark:{paymnets}:state"))

            let malformed = try await harness.bulwark("breaker", "open", "pay ments")
            #expect(malformed.status == 64)
            #expect(malformed.errorLines.count == 1)
            #expect(malformed.standardError.contains("breaker name"))
            #expect(try await SharedBreakerStore(client: harness.client).read(try BreakerName("known")).generation == 0)
        }
    }
}
