import RedisClient
import RedisTestSupport
import Testing

@Suite struct RoundTripTests {
    @Test func setGetAndReplyTypes() async throws {
        try await withRedis { _, client in
            #expect(try await client.send("SET", "k", "v").string == "OK")
            #expect(try await client.send("GET", "k") == .bulkString(Array("v".utf8)))
            #expect(try await client.send("GET", "missing").isNull)
            #expect(try await client.send("INCRBY", "n", 41) == .integer(41))
            #expect(try await client.send("INCR", "n").int == 42)
            try await client.send("RPUSH", "list", "a", "b")
            #expect(try await client.send("LRANGE", "list", 0, -1) == .array([.bulkString([97]), .bulkString([98])]))
            #expect(try await client.send("PING") == .simpleString(Array("PONG".utf8)))
        }
    }

    @Test func valuesWithNulBytesRoundTrip() async throws {
        try await withRedis { _, client in
            let value: [UInt8] = [0, 1, 0, 13, 10, 255, 0, 36, 42]
            let key: [UInt8] = [107, 0, 121]
            try await client.send("SET", key, value)
            #expect(try await client.send("GET", key).bytes == value)
            #expect(try await client.send("STRLEN", key).int == value.count)
        }
    }

    @Test func sixteenMebibyteValueRoundTrips() async throws {
        try await withRedis(configure: { $0.commandTimeout = .seconds(10) }) { _, client in
            var generator = SplitMix64(seed: 7)
            let value = (0..<(16 << 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            try await client.send("SET", "big", value)
            let read = try await client.send("GET", "big").bytes
            #expect(read?.count == value.count)
            #expect(read == value)
        }
    }

    @Test func serverErrorsCarryRedisCode() async throws {
        try await withRedis { _, client in
            try await client.send("SET", "s", "text")
            await #expect {
                try await client.send("LPUSH", "s", "x")
            } throws: { error in
                let error = error as? RedisClientError
                return error?.code == .serverError && error?.serverError?.code == "WRONGTYPE"
            }
            // The connection is still usable after an error reply.
            #expect(try await client.send("GET", "s").string == "text")
        }
    }

    @Test func pipelineKeepsErrorsInPlace() async throws {
        try await withRedis { _, client in
            let replies = try await client.pipeline([
                RedisCommand("SET", "a", "1"),
                RedisCommand("INCR", "a"),
                RedisCommand("HGET", "a", "field"),
                RedisCommand("GET", "a"),
            ])
            #expect(replies.count == 4)
            #expect(replies[1] == .integer(2))
            guard case .error(let error) = replies[2] else {
                Issue.record("expected an error reply, got \(replies[2])")
                return
            }
            #expect(error.code == "WRONGTYPE")
            #expect(replies[3].string == "2")
        }
    }

    @Test func transactionRunsAtomicallyAndReportsAborts() async throws {
        try await withRedis { _, client in
            let results = try await client.transaction([RedisCommand("INCR", "t"), RedisCommand("INCRBY", "t", 10)])
            #expect(results == [.integer(1), .integer(11)])
            await #expect {
                try await client.transaction([RedisCommand("INCR", "t"), RedisCommand("NOSUCHCOMMAND")])
            } throws: { error in
                (error as? RedisClientError)?.serverError?.code == "EXECABORT"
            }
            #expect(try await client.send("GET", "t").int == 11)
        }
    }

    @Test func concurrentCallersEachGetTheirOwnReply() async throws {
        try await withRedis(configure: { $0.poolSize = 2 }) { _, client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for caller in 0..<16 {
                    group.addTask {
                        for index in 0..<300 {
                            let key = "c:\(caller):\(index)"
                            try await client.send("SET", key, "\(caller)-\(index)")
                            let value = try await client.send("GET", key).string
                            #expect(value == "\(caller)-\(index)")
                            try await client.send("INCR", "total")
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await client.send("GET", "total").int == 16 * 300)
        }
    }

    @Test func concurrentCommandsShareWrites() async throws {
        try await withRedis(configure: { $0.poolSize = 1 }) { _, client in
            try await client.send("PING")
            let before = client.statistics
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<32 {
                    group.addTask {
                        for _ in 0..<200 { try await client.send("INCR", "shared") }
                    }
                }
                try await group.waitForAll()
            }
            let after = client.statistics
            #expect(try await client.send("GET", "shared").int == 32 * 200)
            #expect(after.commands - before.commands == 32 * 200)
            #expect(after.requests - before.requests == 32 * 200)
            // Automatic pipelining: with 32 callers on one connection, commands must travel several per write.
            #expect(after.writes - before.writes < (after.commands - before.commands) / 2)
            #expect(after.connects == 1)
        }
    }

    @Test func aPipelineIsOneRequestOfSeveralCommands() async throws {
        try await withRedis(configure: { $0.poolSize = 1 }) { _, client in
            try await client.send("PING")
            let before = client.statistics
            let replies = try await client.pipeline([RedisCommand("SET", "k", "v"), RedisCommand("GET", "k"), RedisCommand("DEL", "k")])
            let after = client.statistics
            #expect(replies.map(\.string) == ["OK", "v", "1"])
            #expect(after.commands - before.commands == 3)
            #expect(after.requests - before.requests == 1)
            #expect(after.writes - before.writes == 1)
        }
    }

    @Test func selectsTheConfiguredDatabase() async throws {
        try await withRedis(configure: { $0.database = 3 }) { server, client in
            try await client.send("SET", "where", "db3")
            let databaseZero = try RedisClient(url: server.url + "/0")
            let databaseThree = try RedisClient(url: server.url + "/3")
            defer {
                databaseZero.shutdown()
                databaseThree.shutdown()
            }
            #expect(try await databaseZero.send("GET", "where").isNull)
            #expect(try await databaseThree.send("GET", "where").string == "db3")
        }
    }
}

/// A small deterministic generator for test data.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
