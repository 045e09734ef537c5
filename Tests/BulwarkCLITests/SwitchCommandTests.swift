import BulwarkTestSupport
import Foundation
import RedisTestSupport
import Testing

/// `bulwark switch …` against a running `bulwark serve --demo`: the change is in Redis, and the other process
/// applies it (its `/health` and its metrics say so).
@Suite(.serialized) struct SwitchCommandTests {
    @Test func offAndOnReachARunningInstanceAndUnknownNamesAreRefused() async throws {
        try await withCLIHarness(prefix: "cli-switches") { harness in
            let serve = try await harness.serve(instance: "cli-serve", demo: true)
            defer { Task { await serve.process.terminate() } }
            try await eventually(attempts: 300) {
                let list = try await harness.bulwark("switch", "list", "--json")
                let names = (try list.json()["pipelines"] as? [[String: Any]] ?? []).compactMap { $0["pipeline"] as? String }
                guard names.contains("demo-payments") else { throw NotYet() }
            }
            try await harness.waitForSubscribers("cli-switches:switch-changes")

            let off = try await harness.bulwark("switch", "off", "demo-payments", "retry", "hedging", "--json")
            #expect(off.status == 0)
            let changed = try #require((try off.json()["pipelines"] as? [[String: Any]])?.first)
            #expect(changed["off"] as? [String] == ["retry", "hedging"])
            try await eventually(attempts: 300) {
                let health = try await ServiceHTTP.json(serve, "/health").body
                let pipelines = (health["switches"] as? [String: Any])?["pipelines"] as? [[String: Any]] ?? []
                let payments = pipelines.first { $0["pipeline"] as? String == "demo-payments" }
                guard payments?["off"] as? [String] == ["retry", "hedging"] else { throw NotYet() }
            }
            let counted = try await ServiceHTTP.metric(serve, #"bulwark_policy_switch_changes_total{policy="retry",state="off"}"#)
            #expect(counted == 1)

            let on = try await harness.bulwark("switch", "on", "demo-payments", "retry", "hedging")
            #expect(on.status == 0)
            #expect(on.standardOutput.contains("demo-payments"))
            try await eventually(attempts: 300) {
                let health = try await ServiceHTTP.json(serve, "/health").body
                let pipelines = (health["switches"] as? [String: Any])?["pipelines"] as? [[String: Any]] ?? []
                let payments = pipelines.first { $0["pipeline"] as? String == "demo-payments" }
                guard payments?["off"] as? [String] == [] else { throw NotYet() }
            }

            let unknownPipeline = try await harness.bulwark("switch", "off", "nobody", "retry")
            #expect(unknownPipeline.status == 66)
            #expect(unknownPipeline.standardError.contains("nobody"))
            let unknownPolicy = try await harness.bulwark("switch", "off", "demo-payments", "teleport")
            #expect(unknownPolicy.status == 66)
            #expect(unknownPolicy.standardError.contains("teleport"))
        }
    }
}
