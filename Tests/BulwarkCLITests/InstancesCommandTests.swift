import BulwarkInstanceKit
import BulwarkTestSupport
import Foundation
import RedisTestSupport
import Testing

/// `bulwark instances` against a running service and a `bulwark-instance`.
@Suite(.serialized) struct InstancesCommandTests {
    @Test func listsTheLiveInstancesAndTheBreakersEachReports() async throws {
        try await withCLIHarness { harness in
            let serve = try await harness.serve(instance: "cli-serve", demo: true)
            defer { Task { await serve.process.terminate() } }
            let instance = try await InstanceProcess.start(
                redisURL: harness.redis.url,
                instance: "cli-instance",
                arguments: ["--breaker", "cli-guarded"]
            )
            defer { instance.terminate() }
            _ = try await instance.send("call ok")

            let instances = try await eventually(attempts: 200) {
                let output = try await harness.bulwark("instances", "--json")
                let instances = try output.json()["instances"] as? [[String: Any]] ?? []
                // Each breaker appears with its first report, so wait until the demo's three have reported.
                let reported = instances.map { (($0["breakers"] as? [String]) ?? []).count }
                guard reported.count == 2, reported.allSatisfy({ $0 > 0 }), reported.reduce(0, +) == 4 else { throw NotYet() }
                return instances
            }
            let ids = instances.compactMap { $0["id"] as? String }
            #expect(ids == ["cli-instance", "cli-serve"])
            #expect(instances.first?["breakers"] as? [String] == ["cli-guarded"])
            #expect(instances.last?["breakers"] as? [String] == ["demo-catalog", "demo-payments", "demo-shipping"])

            let table = try await harness.bulwark("instances")
            #expect(table.standardOutput.contains("cli-serve"))
            #expect(table.standardOutput.contains("cli-instance"))
        }
    }
}
