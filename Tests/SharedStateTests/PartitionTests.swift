import BulwarkInstanceKit
import Foundation
import RedisClient
import RedisTestSupport
import Resilience
import Testing

@testable import SharedState

/// One instance in a network namespace of its own loses Redis (`tc netem loss 100%` on its veth link) while
/// two others keep it: its local fallback, quorum scope, and the merge when the partition heals.
@Suite(.serialized, .enabled(if: NetworkPartition.canCreate, "needs root and iproute2 to create network namespaces; skipped"))
struct PartitionTests {
    /// Starts Redis listening on loopback and on the veth's host end, the partitioned instance inside the
    /// namespace and two instances outside; runs `body`; always cleans up.
    private func withPartitionedFleet(
        scope: String,
        _ body: (RedisServerProcess, NetworkPartition, InstanceProcess, [InstanceProcess]) async throws -> Void
    ) async throws {
        let partition = try NetworkPartition(delay: .milliseconds(5))
        defer { partition.remove() }
        let server = try await RedisServerProcess.start(
            RedisServerOptions(extraArguments: ["--bind", "127.0.0.1", partition.hostAddress, "--protected-mode", "no"])
        )
        let arguments = ["--breaker", "part", "--threshold", "2", "--break-ms", "30000", "--scope", scope, "--command-timeout-ms", "200"]
        let inside = partition.command([InstanceProcess.besideThisProgram.path])
        var started: [InstanceProcess] = []
        do {
            let isolated = try await InstanceProcess.start(
                executable: inside.executable,
                leadingArguments: inside.arguments,
                redisURL: "redis://\(partition.hostAddress):\(server.port)",
                instance: "island",
                arguments: arguments
            )
            started.append(isolated)
            for index in 0..<2 {
                started.append(try await InstanceProcess.start(redisURL: server.url, instance: "main\(index)", arguments: arguments))
            }
            for instance in started {
                let joined = try await until(instance, "state", attempts: 300) { $0.delegated }
                #expect(joined.delegated, "\(joined.fields)")
            }
            try await body(server, partition, isolated, Array(started.dropFirst()))
        } catch {
            for instance in started { instance.terminate() }
            await server.shutdown()
            throw error
        }
        for instance in started { await instance.stop() }
        await server.shutdown()
    }

    /// Cuts the island off and makes it trip on its own fallback while the others stay shared and closed.
    private func tripTheIsland(_ partition: NetworkPartition, _ island: InstanceProcess, _ others: [InstanceProcess], store: SharedBreakerStore)
        async throws
    {
        try partition.cut()
        let alone = try await until(island, "burst 2 fail", attempts: 300) { $0.status == "fallback" && $0.state == "open" }
        #expect(alone.status == "fallback" && alone.state == "open")
        for other in others {
            let answer = try await other.send("call ok")
            #expect(answer.result == "ok" && answer.status == "shared" && answer.state == "closed")
        }
        #expect(try await store.read(BreakerName("part")).state == .closed)
    }

    /// Quorum scope: the island's trip on its fallback is one vote when the partition heals, not the fleet's
    /// decision; a second sick instance then trips the fleet, island included.
    @Test func quorumCountsTheIslandsTripAsOneVoteAfterTheHeal() async throws {
        try await withPartitionedFleet(scope: "quorum:2") { server, partition, island, others in
            let client = try RedisClient(url: server.url)
            defer { client.shutdown() }
            let store = SharedBreakerStore(client: client)
            try await tripTheIsland(partition, island, others, store: store)
            try partition.heal()
            let rejoined = try await until(island, "state", attempts: 500) { $0.status == "shared" && $0.state == "closed" && $0.delegated }
            #expect(rejoined.status == "shared" && rejoined.state == "closed")
            let votes = try await client.send("ZRANGE", BreakerKeys(BreakerName("part")).sick, "0", "-1").array?.compactMap(\.string)
            #expect(votes == ["island"])
            _ = try await others[0].send("burst 2 fail")
            for instance in [island] + others {
                let rejected = try await until(instance, "call ok", attempts: 300) { $0.result == "rejected" }
                #expect(rejected.state == "open", "\(rejected.fields)")
            }
        }
    }

    /// Shared scope: open beats closed, so the island's trip opens the fleet when the partition heals.
    @Test func sharedScopeMergesTheIslandsTripWhenThePartitionHeals() async throws {
        try await withPartitionedFleet(scope: "shared") { server, partition, island, others in
            let client = try RedisClient(url: server.url)
            defer { client.shutdown() }
            let store = SharedBreakerStore(client: client)
            try await tripTheIsland(partition, island, others, store: store)
            try partition.heal()
            for instance in others {
                let rejected = try await until(instance, "call ok", attempts: 500) { $0.result == "rejected" }
                #expect(rejected.state == "open", "\(rejected.fields)")
            }
            let island = try await until(island, "state", attempts: 500) { $0.status == "shared" && $0.delegated }
            let redis = try await store.read(BreakerName("part"))
            #expect(redis.state == .open)
            #expect(island.state == "open" && island.generation == Int(redis.generation))
        }
    }
}
