import BulwarkInstanceKit
import Foundation
import RedisTestSupport
import Testing

/// `bulwark cache …` against a `bulwark-instance` whose in-process tier holds the entries: every invalidation is
/// checked in Redis and in that tier.
@Suite(.serialized) struct CacheCommandTests {
    /// Starts an instance and waits until it listens for invalidations.
    private func startInstance(_ harness: CLIHarness) async throws -> InstanceProcess {
        let instance = try await InstanceProcess.start(redisURL: harness.redis.url, instance: "cli-cache")
        try await harness.waitForSubscribers("bulwark:cache-events")
        return instance
    }

    @Test func getShowsTheStoredEntryAndInvalidatingKeysReachesRedisAndTheInstance() async throws {
        try await withCLIHarness { harness in
            let instance = try await startInstance(harness)
            defer { instance.terminate() }
            #expect(try await instance.send("cache-get user:1 one users").fields["value"] as? String == "one")
            #expect(try await instance.send("cache-get user:2 two").count("local") == 2)

            let get = try await harness.bulwark("cache", "get", "user:1", "--json")
            #expect(get.status == 0, "\(get.standardError)")
            let entry = try get.json()
            #expect(entry["key"] as? String == "user:1")
            #expect(entry["value"] as? String == #""one""#)
            #expect(entry["encoding"] as? String == "utf8")
            #expect(entry["fresh"] as? Bool == true)
            #expect(entry["tags"] as? [String] == ["users"])
            #expect((entry["expiresInSeconds"] as? Double ?? 0) > 0)
            #expect(try await harness.bulwark("cache", "get", "user:1").standardOutput.contains("users"))

            let invalidated = try await harness.bulwark("cache", "invalidate", "user:1", "--json")
            #expect(invalidated.status == 0)
            #expect(try invalidated.json()["invalidated"] as? Int == 1)
            #expect(try await !harness.exists("bulwark:cache:v:user:1"))
            #expect(try await harness.exists("bulwark:cache:v:user:2"))
            try await eventually(attempts: 200) {
                guard try await instance.send("cache-local").count("local") == 1 else { throw NotYet() }
            }
            // The instance no longer answers from its old copy: the factory runs again.
            #expect(try await instance.send("cache-get user:1 fresh").fields["value"] as? String == "fresh")

            let missing = try await harness.bulwark("cache", "get", "user:9")
            #expect(missing.status == 66)
            #expect(missing.errorLines.count == 1)
        }
    }

    @Test func prefixInvalidationCountsAsksAndThenReachesEveryTier() async throws {
        try await withCLIHarness { harness in
            let instance = try await startInstance(harness)
            defer { instance.terminate() }
            for key in ["catalog:1", "catalog:2", "orders:1"] {
                _ = try await instance.send("cache-get \(key) v")
            }

            let refused = try await harness.bulwark("cache", "invalidate", "--prefix", "catalog:")
            #expect(refused.status == 64)
            #expect(refused.errorLines.count == 1)
            #expect(refused.standardError.contains("2 cache entries"))
            #expect(refused.standardError.contains("--yes"))
            #expect(try await harness.exists("bulwark:cache:v:catalog:1"))
            #expect(try await instance.send("cache-local").count("local") == 3)

            let confirmed = try await harness.bulwark("cache", "invalidate", "--prefix", "catalog:", "--yes", "--json")
            #expect(confirmed.status == 0)
            let answer = try confirmed.json()
            #expect(answer["invalidated"] as? Int == 2)
            #expect(answer["prefix"] as? String == "catalog:")
            #expect(try await !harness.exists("bulwark:cache:v:catalog:1"))
            #expect(try await !harness.exists("bulwark:cache:v:catalog:2"))
            #expect(try await harness.exists("bulwark:cache:v:orders:1"))
            try await eventually(attempts: 200) {
                guard try await instance.send("cache-local").count("local") == 1 else { throw NotYet() }
            }

            let empty = try await harness.bulwark("cache", "invalidate", "--prefix", "", "--yes")
            #expect(empty.status == 64)
            #expect(empty.errorLines.count == 1)
            #expect(empty.standardError.contains("must not be empty"))
            #expect(try await harness.exists("bulwark:cache:v:orders:1"))

            let both = try await harness.bulwark("cache", "invalidate", "orders:1", "--tag", "x")
            #expect(both.status == 64)
            #expect(both.errorLines.count == 1)
            #expect(try await harness.exists("bulwark:cache:v:orders:1"))
        }
    }

    @Test func tagInvalidationReachesRedisAndTheInstance() async throws {
        try await withCLIHarness { harness in
            let instance = try await startInstance(harness)
            defer { instance.terminate() }
            _ = try await instance.send("cache-get a:1 v red")
            _ = try await instance.send("cache-get a:2 v red blue")
            _ = try await instance.send("cache-get a:3 v blue")

            let output = try await harness.bulwark("cache", "invalidate", "--tag", "red", "--json")
            #expect(output.status == 0)
            #expect(try output.json()["invalidated"] as? Int == 2)
            #expect(try await !harness.exists("bulwark:cache:v:a:1"))
            #expect(try await !harness.exists("bulwark:cache:v:a:2"))
            #expect(try await harness.exists("bulwark:cache:v:a:3"))
            try await eventually(attempts: 200) {
                guard try await instance.send("cache-local").count("local") == 1 else { throw NotYet() }
            }
        }
    }
}
