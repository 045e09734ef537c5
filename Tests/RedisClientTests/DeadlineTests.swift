import RedisClient
import RedisTestSupport
import Synchronization
import Testing

/// Every call returns by its deadline or its task's cancellation, and leaves its connection in step.
@Suite struct DeadlineTests {
    /// A command timeout long enough that only the per-call deadline or the cancellation can end a call.
    private static func patient(_ configuration: inout RedisConfiguration) {
        configuration.commandTimeout = .seconds(20)
        configuration.poolSize = 1
    }

    @Test func aCallReturnsAtItsDeadlineAndItsLateReplyIsNotGivenToTheNextCaller() async throws {
        try await withRedis(configure: { Self.patient(&$0) }) { server, client in
            try await client.send("SET", "a", "A")
            try await client.send("SET", "b", "B")
            try await server.pause()
            let stalled = try await within(.seconds(10)) {
                await errorOf { try await client.send(RedisCommand("GET", "a"), timeout: .milliseconds(200)) }
            }
            #expect(stalled?.code == .timedOut)
            #expect(stalled?.failureKind.isUnreachable == true)
            try await server.resume()
            // The reply to GET a arrives now and is dropped: GET b gets its own.
            #expect(try await client.send("GET", "b").string == "B")
            #expect(try await client.send("GET", "a").string == "A")
            // The connection stayed in step: no reconnect was needed.
            #expect(client.statistics.connects == 1)
        }
    }

    @Test func cancellingTheCallingTaskEndsTheCallAndKeepsTheConnectionInStep() async throws {
        try await withRedis(configure: { Self.patient(&$0) }) { server, client in
            try await client.send("SET", "a", "A")
            try await client.send("SET", "b", "B")
            try await server.pause()
            let call = Task { await errorOf { try await client.send("GET", "a") } }
            // Cancel only once the command is on the wire, where only the client's own handling can end it.
            try await eventually(attempts: 200) { guard client.statistics.writes >= 3 else { throw NotYet() } }
            call.cancel()
            let error = try await within(.seconds(10)) { await call.value }
            #expect(error?.code == .cancelled)
            let notCountedUnreachable = error.map { !$0.failureKind.isUnreachable }
            #expect(notCountedUnreachable == true, "\(String(describing: error))")
            try await server.resume()
            #expect(try await client.send("GET", "b").string == "B")
            #expect(client.statistics.connects == 1)
        }
    }

    @Test func callsWithDifferentDeadlinesEachEndAtTheirOwn() async throws {
        // The deadline watch reads each connection's requests in send order: a short deadline queued behind
        // a long one must still end its call, and must not end the long one.
        try await withRedis(configure: { Self.patient(&$0) }) { server, client in
            try await client.send("SET", "a", "A")
            try await server.pause()
            let long = Task { try await client.send(RedisCommand("GET", "a"), timeout: .seconds(60)) }
            try await eventually(attempts: 200) { guard client.statistics.writes >= 2 else { throw NotYet() } }
            let short = try await within(.seconds(10)) {
                await errorOf { try await client.send(RedisCommand("GET", "a"), timeout: .milliseconds(200)) }
            }
            #expect(short?.code == .timedOut)
            try await server.resume()
            let reply = try await within(.seconds(10)) { try await long.value }
            #expect(reply.string == "A")
            #expect(client.statistics.connects == 1)
        }
    }

    @Test func aDeadlineEarlierThanAnyBeforeItIsWatched() async throws {
        // Every call so far had the long default: the watch plans to wake late, or not at all; a call with a
        // shorter deadline must wake it.
        try await withRedis(configure: { Self.patient(&$0) }) { server, client in
            for _ in 0..<10 { try await client.send("PING") }
            try await server.pause()
            let error = try await within(.seconds(10)) {
                await errorOf { try await client.send(RedisCommand("PING"), timeout: .milliseconds(100)) }
            }
            #expect(error?.code == .timedOut)
            try await server.resume()
        }
    }

    @Test func theDeadlineCoversConnecting() async throws {
        // A stopped server still completes TCP handshakes (the kernel does), then never answers the
        // client's handshake: only the call's deadline can end the call.
        try await withRedis(configure: { Self.patient(&$0) }) { server, client in
            try await server.pause()
            let error = try await within(.seconds(10)) {
                await errorOf { try await client.send(RedisCommand("PING"), timeout: .milliseconds(200)) }
            }
            #expect(error?.code == .timedOut)
            try await server.resume()
        }
    }

    @Test func theConfiguredCommandTimeoutIsEveryCallsDefaultDeadline() async throws {
        try await withRedis(configure: { $0.commandTimeout = .milliseconds(200) }) { server, client in
            try await client.send("PING")
            try await server.pause()
            let error = try await within(.seconds(10)) {
                await errorOf { try await client.pipeline([RedisCommand("PING"), RedisCommand("PING")]) }
            }
            #expect(error?.code == .timedOut)
            try await server.resume()
            let pong = try await eventually { try await client.send("PING") }
            #expect(pong.string == "PONG")
        }
    }

    @Test func aCallMayWaitLongerThanTheCommandTimeout() async throws {
        let debuggable = RedisServerOptions(extraArguments: ["--enable-debug-command", "yes"])
        try await withRedis(
            debuggable,
            configure: {
                $0.commandTimeout = .milliseconds(100)
                $0.poolSize = 1
            }
        ) { _, client in
            // DEBUG SLEEP holds Redis for 300 ms: longer than the command timeout, shorter than this call's.
            let reply = try await client.send(RedisCommand("DEBUG", "SLEEP", "0.3"), timeout: .seconds(10))
            #expect(reply.string == "OK")
            #expect(client.statistics.connects == 1)
        }
    }

    @Test func blockingCommandsAreRefusedOnSharedConnections() async throws {
        try await withRedis { (_: RedisServerProcess, client: RedisClient) async throws -> Void in
            let blocking = [
                RedisCommand("BLPOP", "list", 0), RedisCommand("BRPOP", "list", 0), RedisCommand("BRPOPLPUSH", "a", "b", 0),
                RedisCommand("BLMOVE", "a", "b", "LEFT", "RIGHT", 0), RedisCommand("BLMPOP", 0, 1, "a", "LEFT"),
                RedisCommand("BZPOPMIN", "z", 0), RedisCommand("BZPOPMAX", "z", 0), RedisCommand("BZMPOP", 0, 1, "z", "MIN"),
                RedisCommand("XREAD", "BLOCK", 0, "STREAMS", "s", "$"),
                RedisCommand("xreadgroup", "GROUP", "g", "c", "block", 0, "STREAMS", "s", ">"),
                RedisCommand("WAIT", 1, 0), RedisCommand("WAITAOF", 1, 0, 0),
            ]
            for command in blocking {
                await #expect("\(command.name)") {
                    try await client.send(command)
                } throws: { error in
                    (error as? RedisClientError)?.code == .blockingCommand
                }
            }
            await #expect(throws: RedisClientError.self) { try await client.pipeline([RedisCommand("PING"), RedisCommand("BLPOP", "l", 0)]) }
            await #expect(throws: RedisClientError.self) { try await client.transaction([RedisCommand("BLPOP", "l", 0)]) }
            // Their non-blocking forms pass.
            try await client.send("XADD", "s", "*", "f", "v")
            #expect(try await client.send("XREAD", "COUNT", 1, "STREAMS", "s", "0").array?.count == 1)
            #expect(try await client.send("LPOP", "list").isNull)
        }
    }

    @Test func aFullRequestQueueFailsAtOnceWithAClearError() async throws {
        try await withRedis(configure: {
            Self.patient(&$0)
            $0.maximumPendingRequests = 4
        }) { server, client in
            try await client.send("PING")
            try await server.pause()
            let first = Task { try? await client.send("PING") }
            // The thread took the first request and waits for its reply: the next ones queue.
            try await eventually(attempts: 200) { guard client.statistics.writes >= 2 else { throw NotYet() } }
            let outcomes = try await within(.seconds(10)) {
                await withTaskGroup(of: RedisClientError.Code?.self) { group in
                    for _ in 0..<5 {
                        group.addTask { await errorOf { try await client.send(RedisCommand("PING"), timeout: .seconds(5)) }?.code }
                    }
                    return await group.reduce(into: [RedisClientError.Code?]()) { $0.append($1) }
                }
            }
            // Four waited (and timed out, Redis being stopped); the fifth was refused at once.
            let refused = outcomes.filter { $0 == .overloaded }.count
            let timedOut = outcomes.filter { $0 == .timedOut }.count
            #expect(refused == 1, "\(outcomes)")
            #expect(timedOut == 4, "\(outcomes)")
            try await server.resume()
            _ = await first.value
            #expect(try await client.send("PING").string == "PONG")
        }
    }
}

/// The error a call ended with, or `nil` when it succeeded.
func errorOf<T>(_ call: () async throws -> T) async -> RedisClientError? {
    do {
        _ = try await call()
        return nil
    } catch {
        return (error as? RedisClientError) ?? RedisClientError(.unexpectedReply, "not a client error: \(error)")
    }
}
