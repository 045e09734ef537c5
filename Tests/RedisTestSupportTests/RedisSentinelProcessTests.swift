import Testing

@testable import RedisTestSupport

@Suite struct RedisSentinelProcessTests {
    @Test func sentinelPromotesTheReplicaWhenThePrimaryDies() async throws {
        let primary = try await RedisServerProcess.start()
        let replica = try await RedisServerProcess.start(.init(replicaOf: primary.address))
        let linked = try await eventually(timeout: .seconds(10)) {
            let info = try await send([["INFO", "replication"]], to: replica.port)
            return info.first?.string?.contains("master_link_status:up") == true
        }
        #expect(linked, "the replica did not sync with the primary")

        let sentinel = try await RedisSentinelProcess.start(
            .init(master: primary.address, downAfter: .milliseconds(1000), failoverTimeout: .milliseconds(3000))
        )
        #expect(try await sentinel.masterAddress() == primary.address)
        let replicaKnown = try await eventually(timeout: .seconds(15)) {
            try await sentinel.replicaAddresses().contains(replica.address)
        }
        try #require(replicaKnown, "the sentinel did not discover the replica:\n\(sentinel.logTail())")

        let primaryPID = primary.pid
        try await primary.kill()
        #expect(!processExists(primaryPID))
        try await sentinel.waitForMasterAddress(replica.address, timeout: .seconds(20))
        let role = try await send([["ROLE"]], to: replica.port)
        guard case .array(let fields?) = role.first else {
            Issue.record("unexpected ROLE reply \(role)")
            return
        }
        #expect(fields.first == .bulkString("master"))

        let sentinelPID = sentinel.pid
        try await sentinel.stop()
        #expect(!processExists(sentinelPID))
        await sentinel.shutdown()
        await replica.shutdown()
        await primary.shutdown()
    }

    @Test func sentinelLifecycleAndUnknownMaster() async throws {
        let primary = try await RedisServerProcess.start()
        let sentinel = try await RedisSentinelProcess.start(.init(masterName: "cache", master: primary.address))
        #expect(try await sentinel.masterAddress(named: "cache") == primary.address)
        #expect(try await sentinel.masterAddress(named: "nope") == nil)

        try await sentinel.pause()
        #expect(await sentinel.respondsToPing(within: .milliseconds(300)) == false)
        try await sentinel.resume()
        #expect(await sentinel.respondsToPing())

        let port = sentinel.port
        try await sentinel.restart()
        #expect(sentinel.port == port)
        #expect(try await sentinel.masterAddress(named: "cache") == primary.address)
        await sentinel.shutdown()
        await primary.shutdown()
    }

    @Test func invalidOptionsNameTheField() async throws {
        let error = await #expect(throws: RedisTestSupportError.self) {
            try await RedisSentinelProcess.start(.init(quorum: 0))
        }
        #expect(error?.code == .invalidOptions)
        #expect(error?.message?.contains("quorum") == true)
    }
}
