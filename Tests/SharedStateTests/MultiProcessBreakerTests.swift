import BulwarkInstanceKit
import Foundation
import RedisClient
import RedisTestSupport
import SharedState
import Testing

/// Shared breakers across separate OS processes (`bulwark-instance`) on one redis-server.
@Suite(.serialized) struct MultiProcessBreakerTests {
    @Test func tripInOneInstanceRejectsInTheOthers() async throws {
        try await withFleet(3, arguments: ["--breaker", "payments", "--threshold", "3", "--break-ms", "10000"]) { _, fleet in
            let tripped = try await fleet[0].send("burst 3 fail")
            #expect(tripped.count("failed") == 3)
            let seenByA = try await until(fleet[0], "state") { $0.state == "open" }
            #expect(seenByA.state == "open")
            for other in fleet.dropFirst() {
                let answer = try await until(other, "call ok") { $0.result == "rejected" }
                #expect(answer.result == "rejected")
                #expect(answer.generation == seenByA.generation)
            }
        }
    }

    @Test func aFailingCallerStopsExactlyAtTheSharedThreshold() async throws {
        try await withFleet(2, arguments: ["--breaker", "exact", "--threshold", "4", "--break-ms", "10000"]) { _, fleet in
            // Each failure is reported before the failing call returns, so the call after the trip is rejected.
            let first = try await fleet[0].send("fail-until-rejected 1000")
            #expect(first.count("ran") == 4)
            #expect(first.state == "open")
            let second = try await until(fleet[1], "state") { $0.state == "open" }
            #expect(second.generation == first.generation)
        }
    }

    @Test func quorumIsNotTrippedByOneSickInstance() async throws {
        try await withFleet(3, arguments: ["--breaker", "inventory", "--threshold", "2", "--scope", "quorum:2", "--break-ms", "10000"]) {
            _,
            fleet in
            let sick = try await fleet[0].send("burst 6 fail")
            #expect(sick.count("rejected") == 0)
            // Give the sick instance's reports time to land; the healthy ones must still pass.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await fleet[1].send("call ok").result == "ok")
            #expect(try await fleet[0].send("state").state == "closed")

            _ = try await fleet[2].send("burst 6 fail")
            let healthy = try await until(fleet[1], "call ok") { $0.result == "rejected" }
            #expect(healthy.result == "rejected")
        }
    }

    @Test func halfOpenProbesAreLimitedFleetWide() async throws {
        try await withFleet(3, arguments: ["--breaker", "probe", "--threshold", "1", "--break-ms", "3000", "--permits", "1"]) { _, fleet in
            _ = try await fleet[0].send("call fail")
            for instance in fleet {
                let opened = try await until(instance, "state") { $0.state == "open" }
                #expect(opened.state == "open", "\(opened.fields)")
            }
            try await Task.sleep(for: .milliseconds(3_050))
            // Rounds of concurrent long calls, one per instance. The first rounds propose half-open and claim
            // permits in the background; in the round where a probe finally runs, it must be the only one,
            // because the fleet has one permit. Rounds of rejections return at once, so the rounds are bounded
            // by time: on a loaded machine the background steps can take longer than many such rounds.
            var probeRound: [String?]?
            let clock = ContinuousClock()
            let giveUp = clock.now + .seconds(10)
            while probeRound == nil, clock.now < giveUp {
                let results = try await withThrowingTaskGroup(of: String?.self) { group in
                    for instance in fleet { group.addTask { try await instance.send("hold 300").result } }
                    return try await group.reduce(into: [String?]()) { $0.append($1) }
                }
                if results.contains("ok") {
                    probeRound = results
                } else {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let round = try #require(probeRound)
            let probes = round.filter { $0 == "ok" }.count
            let rejections = round.filter { $0 == "rejected" }.count
            #expect(probes == 1, "\(round)")
            #expect(rejections == 2, "\(round)")
            // The probe's success closes the breaker for everyone.
            for instance in fleet {
                let passed = try await until(instance, "call ok") { $0.result == "ok" }
                #expect(passed.result == "ok", "\(passed.fields)")
            }
        }
    }

    @Test func operatorIsolationReachesEveryInstance() async throws {
        try await withFleet(2, arguments: ["--breaker", "billing"]) { server, fleet in
            let operatorClient = try RedisClient(url: server.url)
            defer { operatorClient.shutdown() }
            let store = SharedBreakerStore(client: operatorClient)
            try await store.command(.isolate, breaker: try BreakerName("billing"))
            for instance in fleet {
                let rejected = try await until(instance, "call ok") { $0.result == "rejected" }
                #expect(rejected.state == "isolated", "\(rejected.fields)")
            }
            try await store.command(.reset, breaker: try BreakerName("billing"))
            for instance in fleet {
                let passed = try await until(instance, "call ok") { $0.result == "ok" }
                #expect(passed.state == "closed", "\(passed.fields)")
            }
        }
    }

    @Test func callsNeverFailBecauseRedisStopsPausesOrRestarts() async throws {
        try await withFleet(2, arguments: ["--breaker", "orders", "--threshold", "1000", "--command-timeout-ms", "200", "--flush-ms", "50"]) {
            server,
            fleet in
            for instance in fleet { #expect(try await instance.send("burst 100 ok").count("ok") == 100) }

            try await server.pause()
            for instance in fleet {
                let during = try await instance.send("burst 200 ok")
                #expect(during.count("ok") == 200)
                let onFallback = try await until(instance, "burst 10 ok") { $0.status == "fallback" }
                #expect(onFallback.status == "fallback", "\(onFallback.fields)")
            }
            try await server.resume()
            for instance in fleet {
                let sharedAgain = try await until(instance, "burst 10 ok", attempts: 300) { $0.status == "shared" }
                #expect(sharedAgain.status == "shared", "\(sharedAgain.fields)")
            }

            try await server.kill()
            for instance in fleet {
                let answer = try await until(instance, "burst 10 ok") { $0.status == "fallback" }
                #expect(answer.count("ok") == 10)
            }
            try await server.restart()
            for instance in fleet {
                let back = try await until(instance, "burst 10 ok", attempts: 300) { $0.status == "shared" }
                #expect(back.status == "shared")
                #expect(back.count("failed") == 0)
            }
        }
    }

    @Test func aTripDuringAnOutageWinsTheMergeWhenRedisReturns() async throws {
        try await withFleet(2, arguments: ["--breaker", "merge", "--threshold", "3", "--break-ms", "30000", "--command-timeout-ms", "200"]) {
            server,
            fleet in
            #expect(try await fleet[1].send("call ok").result == "ok")
            try await server.kill()
            // A sees the failures alone, on its local fallback: it opens locally.
            let sick = try await until(fleet[0], "burst 3 fail") { $0.status == "fallback" && $0.state == "open" }
            #expect(sick.state == "open")
            #expect(try await fleet[1].send("call ok").result == "ok")
            try await server.restart()
            // Back on shared state, open beats closed: the merge opens the shared breaker for B too.
            let follower = try await until(fleet[1], "call ok", attempts: 300) { $0.result == "rejected" }
            #expect(follower.result == "rejected")
            // B may hear the published merge just before its own recovery probe: shared again right after.
            let followerShared = try await until(fleet[1], "state") { $0.status == "shared" }
            #expect(followerShared.status == "shared", "\(followerShared.fields)")
            #expect(try await fleet[0].send("state").state == "open")
        }
    }
}
