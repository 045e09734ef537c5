import Testing

@testable import RedisTestSupport

/// The cluster fixture against real `redis-server --cluster-enabled yes` processes: it forms, moves a slot with
/// its keys, and fails a primary over, coordinated and by a kill.
@Suite(.serialized) struct RedisClusterProcessTests {
    @Test func threePrimariesWithAReplicaEachServeEverySlot() async throws {
        let cluster = try await RedisClusterProcess.start()
        let nodes = try await cluster.topology()
        let primaries = nodes.filter(\.isPrimary)
        #expect(nodes.count == 6)
        #expect(primaries.count == 3)
        let served = primaries.flatMap(\.slots).map(\.count).reduce(0, +)
        #expect(served == 16_384)
        let primaryIDs = Set(primaries.map(\.id))
        let replicated = nodes.filter { !$0.isPrimary }.compactMap(\.primaryID)
        #expect(Set(replicated) == primaryIDs)
        #expect(cluster.url.hasPrefix("redis-cluster://127.0.0.1:"))
        await cluster.shutdown()
    }

    /// During a migration the source answers `ASK` for keys that moved; afterwards the target serves the slot and
    /// the source answers `MOVED`; no key is lost.
    @Test func aSlotMovesWithItsKeys() async throws {
        let cluster = try await RedisClusterProcess.start()
        let slot = try await cluster.slot(of: "{moving}")
        let source = try await cluster.primary(servingSlot: slot)
        let keys = (0..<10).map { "{moving}:\($0)" }
        for key in keys { _ = try await cluster.query(source, ["SET", key, "v-\(key)"]) }
        let nodes = try await cluster.topology()
        let elsewhere = nodes.first { $0.isPrimary && !$0.serves(slot) }
        let target = try #require(elsewhere)
        let targetProcess = try #require(cluster.process(at: target.address))
        let migration = try await cluster.beginMigration(slot: slot, to: targetProcess)
        var asked = 0
        for key in keys {
            do {
                _ = try await cluster.query(source, ["GET", key])
            } catch let error as RedisTestSupportError where error.message?.contains("ASK") == true {
                asked += 1
            }
        }
        #expect(asked == 5)
        try await cluster.completeMigration(migration)
        #expect(try await cluster.primary(servingSlot: slot).address == target.address)
        for key in keys {
            #expect(try await cluster.query(targetProcess, ["GET", key]).string == "v-\(key)")
        }
        var moved = false
        do {
            _ = try await cluster.query(source, ["GET", keys[0]])
        } catch let error as RedisTestSupportError {
            moved = error.message?.contains("MOVED") == true
        }
        #expect(moved)
        await cluster.shutdown()
    }

    /// A coordinated failover keeps the data; killing the new primary promotes a replica again.
    @Test func aPrimaryFailsOverThenDies() async throws {
        let cluster = try await RedisClusterProcess.start()
        let slot = try await cluster.slot(of: "{failing}")
        let first = try await cluster.primary(servingSlot: slot)
        _ = try await cluster.query(first, ["SET", "{failing}:kept", "yes"])
        let second = try await cluster.failOver(first)
        #expect(second.address != first.address)
        #expect(try await cluster.query(second, ["GET", "{failing}:kept"]).string == "yes")
        let nodes = try await cluster.topology()
        let secondAsDescribed = nodes.first { $0.address == second.address }
        let described = try #require(secondAsDescribed)
        try await second.kill()
        let third = try await cluster.waitForPromotion(of: described)
        #expect(third.address != second.address)
        #expect(try await cluster.primary(servingSlot: slot).address == third.address)
        await cluster.shutdown()
    }
}
