import BulwarkInstanceKit
import Foundation
import RedisClient
import RedisTestSupport
import Resilience
import Testing

@testable import SharedState

/// The convergence rules of docs/convergence.md, each against a real redis-server and real `bulwark-instance`
/// processes.
@Suite(.serialized) struct ConvergenceProcessTests {
    /// Reads Redis's state of `name` until `done` holds for it (about 10 s at most); returns the last read.
    private func redisState(
        _ store: SharedBreakerStore,
        _ name: String,
        _ done: (SharedBreakerSnapshot) -> Bool
    ) async throws -> SharedBreakerSnapshot? {
        var last: SharedBreakerSnapshot?
        for _ in 0..<500 {
            if let snapshot = try? await store.read(BreakerName(name)) {
                last = snapshot
                if done(snapshot) { return snapshot }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return last
    }

    /// Finding 1: force a breaker open, `kill -9` Redis, restart it empty: the survivors re-seed the forced
    /// state, Redis says isolated again, and an instance started afterwards rejects its very first call.
    @Test func aForcedStateSurvivesRedisLosingItsData() async throws {
        let arguments = ["--breaker", "demo-catalog", "--command-timeout-ms", "200", "--first-wait-ms", "5000"]
        try await withFleet(2, arguments: arguments) { server, fleet in
            let operatorClient = try RedisClient(url: server.url)
            defer { operatorClient.shutdown() }
            let store = SharedBreakerStore(client: operatorClient)
            let forced = try await store.command(.isolate, breaker: BreakerName("demo-catalog"))
            for instance in fleet {
                let reached = try await until(instance, "state") { $0.state == "isolated" }
                #expect(reached.state == "isolated", "\(reached.fields)")
            }
            try await server.kill()
            try await server.restart()
            let reseeded = try await redisState(store, "demo-catalog") { $0.state == .isolated }
            #expect(reseeded?.state == .isolated)
            #expect(reseeded?.generation == forced.generation)
            for instance in fleet {
                let back = try await until(instance, "state", attempts: 300) { $0.status == "shared" && $0.delegated }
                #expect(back.state == "isolated")
            }
            let newcomer = try await InstanceProcess.start(redisURL: server.url, instance: "late", arguments: arguments)
            let first = try await newcomer.send("call ok")
            await newcomer.stop()
            #expect(first.result == "rejected")
            #expect(first.state == "isolated")
            // The operator's reset still reaches everyone afterwards: its generation is above the re-seeded one.
            let reset = try await store.command(.reset, breaker: BreakerName("demo-catalog"))
            #expect(reset.generation > forced.generation)
            for instance in fleet {
                let closed = try await until(instance, "state", attempts: 500) { $0.state == "closed" }
                #expect(closed.state == "closed" && closed.generation == Int(reset.generation), "\(closed.fields), reset: \(reset)")
            }
        }
    }

    /// Redis loses its data twice in a row (a restart, then a failover to an empty replica): the instances re-seed
    /// the forced state each time, and the operator's reset afterwards still reaches every instance.
    @Test func aResetReachesEveryInstanceAfterRedisLostItsDataTwice() async throws {
        let arguments = ["--breaker", "twice", "--command-timeout-ms", "200", "--first-wait-ms", "5000"]
        try await withFleet(2, arguments: arguments) { server, fleet in
            let operatorClient = try RedisClient(url: server.url)
            defer { operatorClient.shutdown() }
            let store = SharedBreakerStore(client: operatorClient)
            let forced = try await store.command(.isolate, breaker: BreakerName("twice"))
            for instance in fleet {
                let reached = try await until(instance, "state") { $0.state == "isolated" }
                #expect(reached.state == "isolated", "\(reached.fields)")
            }
            for _ in 0..<2 {
                try await server.kill()
                try await server.restart()
                let reseeded = try await redisState(store, "twice") { $0.state == .isolated }
                #expect(reseeded?.state == .isolated && reseeded?.generation == forced.generation)
                for instance in fleet {
                    let back = try await until(instance, "state", attempts: 300) { $0.status == "shared" && $0.delegated }
                    #expect(back.state == "isolated", "\(back.fields)")
                }
            }
            let reset = try await store.command(.reset, breaker: BreakerName("twice"))
            for instance in fleet {
                let closed = try await until(instance, "state", attempts: 500) { $0.state == "closed" }
                #expect(closed.state == "closed" && closed.generation == Int(reset.generation), "\(closed.fields), reset: \(reset)")
            }
        }
    }

    /// Redis loses an idle breaker while every instance stays connected (flushed, evicted, expired after
    /// `breakerRetention`): nobody re-seeds it (no instance reports), and the operator resets it. The reset's
    /// generation is above the one the instances hold, so every instance applies it. With a counter that
    /// restarted at 1 the reset was published at the generation of the forced state and ignored as stale.
    @Test func aResetOfABreakerRedisLostReachesEveryConnectedInstance() async throws {
        try await withFleet(2, arguments: ["--breaker", "lost", "--first-wait-ms", "5000"]) { server, fleet in
            let operatorClient = try RedisClient(url: server.url)
            defer { operatorClient.shutdown() }
            let store = SharedBreakerStore(client: operatorClient)
            let name = try BreakerName("lost")
            let forced = try await store.command(.isolate, breaker: name)
            for instance in fleet {
                let reached = try await until(instance, "state") { $0.state == "isolated" }
                #expect(reached.state == "isolated", "\(reached.fields)")
            }
            _ = try await operatorClient.send(RedisCommand("FLUSHALL"))
            let reset = try await store.command(.reset, breaker: name)
            #expect(reset.generation > forced.generation)
            for instance in fleet {
                let closed = try await until(instance, "state", attempts: 500) { $0.state == "closed" }
                #expect(closed.state == "closed" && closed.generation == Int(reset.generation), "\(closed.fields)")
                #expect(try await instance.send("call ok").result == "ok")
            }
        }
    }

    /// Redis lost a breaker and decided again with a clock behind its old one (simulated by writing the state
    /// an operator would have set at a low generation): its answers now show a generation below the one the
    /// instance knows. An answer is never late, so the instance adopts Redis's state instead of ignoring it.
    @Test func anInstanceAdoptsRedisStateWhenRedisGenerationWentBack() async throws {
        try await withFleet(1, arguments: ["--breaker", "behind", "--first-wait-ms", "5000"]) { server, fleet in
            let operatorClient = try RedisClient(url: server.url)
            defer { operatorClient.shutdown() }
            let store = SharedBreakerStore(client: operatorClient)
            let name = try BreakerName("behind")
            _ = try await store.command(.isolate, breaker: name)
            let resetGeneration = Int(try await store.command(.reset, breaker: name).generation)
            let closed = try await until(fleet[0], "state") { $0.generation == resetGeneration }
            #expect(closed.state == "closed")
            let stateKey = BreakerKeys(name).all[0]
            _ = try await operatorClient.send(RedisCommand("DEL", stateKey))
            _ = try await operatorClient.send(RedisCommand("HSET", stateKey, "state", "isolated", "generation", "5", "opened_at", "1"))
            // A call passes the closed local copy and its flush's answer shows Redis's isolated at generation 5 (or a
            // synchronize still under way reads it first): either way the instance adopts it and rejects calls.
            let rejected = try await until(fleet[0], "call ok", attempts: 500) { $0.result == "rejected" }
            #expect(rejected.result == "rejected", "\(rejected.fields)")
            let adopted = try await fleet[0].send("state")
            #expect(adopted.state == "isolated" && adopted.generation == 5, "\(adopted.fields)")
        }
    }

    /// Finding 2: after a pub/sub gap in which the fleet was reset, an instance that decided nothing adopts
    /// Redis's state: a stale isolated is not stuck, and a stale open does not re-open the fleet.
    @Test func afterAPubSubGapInstancesAdoptRedisState() async throws {
        try await withFleet(2, arguments: ["--breaker", "gap", "--threshold", "2", "--break-ms", "30000"]) { server, fleet in
            let operatorClient = try RedisClient(url: server.url)
            defer { operatorClient.shutdown() }
            let store = SharedBreakerStore(client: operatorClient)
            let name = try BreakerName("gap")
            let keys = BreakerKeys(name)
            /// Resets the breaker in the same atomic step that cuts every subscriber: nobody hears the reset.
            func resetDuringAGap() async throws -> UInt64 {
                let replies = try await operatorClient.transaction([
                    RedisCommand("CLIENT", "KILL", "TYPE", "pubsub"),
                    RedisCommand(
                        "EVAL",
                        SharedBreakerScripts.transition.source,
                        String(keys.all.count),
                        keys.all[0],
                        keys.all[1],
                        keys.all[2],
                        keys.all[3],
                        keys.all[4],
                        keys.all[5],
                        "*",
                        "closed",
                        "manual",
                        "0",
                        "0",
                        "1",
                        store.eventsChannel,
                        "gap"
                    ),
                ])
                return try SharedBreakerSnapshot(reply: replies[1]).generation
            }
            // A stale isolated.
            _ = try await store.command(.isolate, breaker: name)
            for instance in fleet {
                let reached = try await until(instance, "state") { $0.state == "isolated" }
                #expect(reached.state == "isolated", "\(reached.fields)")
            }
            let firstReset = try await resetDuringAGap()
            for instance in fleet {
                let adopted = try await until(instance, "state", attempts: 300) { $0.generation == Int(firstReset) }
                #expect(adopted.state == "closed")
            }
            // A stale open.
            _ = try await fleet[0].send("burst 2 fail")
            for instance in fleet {
                let reached = try await until(instance, "state") { $0.state == "open" }
                #expect(reached.state == "open", "\(reached.fields)")
            }
            let secondReset = try await resetDuringAGap()
            for instance in fleet {
                let adopted = try await until(instance, "state", attempts: 300) { $0.generation == Int(secondReset) }
                #expect(adopted.state == "closed")
                #expect(try await instance.send("call ok").result == "ok")
            }
            let redis = try await store.read(name)
            #expect(redis.state == .closed)
            #expect(redis.generation == secondReset)
        }
    }

    /// Finding 3: manual control on one instance is an operator's command: every instance follows it.
    @Test func manualControlOnOneInstanceReachesTheFleet() async throws {
        try await withFleet(2, arguments: ["--breaker", "manual", "--threshold", "1", "--break-ms", "30000"]) { server, fleet in
            _ = try await fleet[0].send("call fail")
            for instance in fleet {
                let reached = try await until(instance, "state") { $0.state == "open" }
                #expect(reached.state == "open", "\(reached.fields)")
            }
            for (control, expected) in [("isolate", "isolated"), ("reset", "closed"), ("disable", "disabled"), ("reset", "closed")] {
                _ = try await fleet[0].send(control)
                for instance in fleet {
                    let reached = try await until(instance, "state") { $0.state == expected }
                    #expect(reached.state == expected, "\(reached.fields)")
                }
            }
            try await server.kill()
            let refused = try await until(fleet[1], "command isolate") { $0.fields["error"] != nil }
            #expect(refused.fields["error"] as? String == "storeUnavailable")
            #expect(refused.state == "closed")
        }
    }

    /// Finding 9: a process that joins while the breaker is open knows it before its first call.
    @Test func aJoiningProcessKnowsTheFleetStateBeforeItsFirstCall() async throws {
        let arguments = ["--breaker", "joiner", "--threshold", "1", "--break-ms", "30000", "--first-wait-ms", "5000"]
        try await withFleet(1, arguments: arguments) { server, fleet in
            _ = try await fleet[0].send("call fail")
            let reached = try await until(fleet[0], "state") { $0.state == "open" }
            #expect(reached.state == "open", "\(reached.fields)")
            for attempt in 0..<3 {
                let newcomer = try await InstanceProcess.start(redisURL: server.url, instance: "new\(attempt)", arguments: arguments)
                let first = try await newcomer.send("call ok")
                await newcomer.stop()
                #expect(first.result == "rejected")
            }
        }
    }
}
