import RedisClient
import RedisTestSupport
import Testing

@Suite struct ScriptTests {
    static let incrementBy = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")

    @Test func shaMatchesWhatRedisComputes() async throws {
        try await withRedis { _, client in
            let loaded = try await client.send("SCRIPT", "LOAD", Self.incrementBy.source).string
            #expect(loaded == Self.incrementBy.sha1)
        }
    }

    @Test func reloadsAfterNoScript() async throws {
        try await withRedis { _, client in
            #expect(try await client.evaluate(Self.incrementBy, keys: ["n"], arguments: [5]) == .integer(5))
            try await client.send("SCRIPT", "FLUSH")
            #expect(try await client.send("SCRIPT", "EXISTS", Self.incrementBy.sha1) == .array([.integer(0)]))
            // EVALSHA now meets NOSCRIPT; the client must send the source and succeed.
            #expect(try await client.evaluate(Self.incrementBy, keys: ["n"], arguments: [2]) == .integer(7))
            #expect(try await client.send("SCRIPT", "EXISTS", Self.incrementBy.sha1) == .array([.integer(1)]))
        }
    }

    @Test func scriptErrorsSurfaceAsServerErrors() async throws {
        try await withRedis { _, client in
            let failing = RedisScript("return redis.error_reply('BULWARK custom failure')")
            await #expect {
                try await client.evaluate(failing, keys: [String]())
            } throws: { error in
                (error as? RedisClientError)?.serverError?.code == "BULWARK"
            }
        }
    }
}
