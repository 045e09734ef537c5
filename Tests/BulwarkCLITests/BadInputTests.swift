import Foundation
import RedisTestSupport
import Testing

/// Bad URLs, bad prefixes and an unreachable Redis: one line on standard error, the documented exit code, no
/// secret in the output, and nothing changed.
@Suite(.serialized) struct BadInputTests {
    @Test(arguments: [
        "notaurl", "redis://:hunter2@127.0.0.1:6379/notadb", "http://:hunter2@127.0.0.1", "redis://:hunter2@127.0.0.1:99999",
        // Malformed beyond the scheme: the password must still never show.
        "redis//:hunter2@127.0.0.1:6379", "redis:/:hunter2@127.0.0.1", ":hunter2@127.0.0.1", "hunter2@127.0.0.1:6379",
        "redis//user:hunter2@h", ":hunter2@h://x",
    ])
    func aMalformedRedisURLIsOneLineWithoutItsPassword(_ url: String) async throws {
        let output = try await BulwarkExecutable.run(["breaker", "list", "--redis", url])
        #expect(output.status == 64)
        #expect(output.errorLines.count == 1)
        #expect(output.standardError.hasPrefix("bulwark: error: "))
        #expect(!output.standardError.contains("hunter2"))
        #expect(output.standardOutput.isEmpty)
    }

    @Test func theRedisURLComesFromTheEnvironmentWhenNoOptionIsGiven() async throws {
        let output = try await BulwarkExecutable.run(["instances"], environment: ["REDIS_URL": "notaurl-from-env"])
        #expect(output.status == 64)
        #expect(output.standardError.contains("notaurl-from-env"))
    }

    @Test func controlCharactersInAnErrorStayOnOneEscapedLine() async throws {
        let output = try await BulwarkExecutable.run(["breaker", "open", "x\nbulwark: forged\u{1B}[2J", "--redis", "redis://127.0.0.1:1"])
        #expect(output.status == 64)
        #expect(output.errorLines.count == 1, "\(output.standardError)")
        #expect(output.standardError.contains("x\\nbulwark: forged\\u{1B}[2J"))
        #expect(!output.standardError.contains("\u{1B}"))
    }

    @Test func aMalformedKeyPrefixIsRefused() async throws {
        let output = try await BulwarkExecutable.run(["instances", "--key-prefix", "a{b}"])
        #expect(output.status == 64)
        #expect(output.errorLines.count == 1)
    }

    @Test func anUnreachableRedisIsExit69WithOneLineAndNoPassword() async throws {
        // A port where no Redis listens: start one to learn a free port, then stop it.
        let redis = try await RedisServerProcess.start()
        try await redis.stop()
        defer { Task { await redis.shutdown() } }
        let url = "redis://:hunter2@127.0.0.1:\(redis.port)"
        let commands = [
            ["breaker", "list"], ["breaker", "open", "payments"], ["cache", "get", "k"], ["cache", "invalidate", "k"],
            ["cache", "invalidate", "--prefix", "p", "--yes"], ["session", "revoke", "--user", "alice", "--yes"],
            ["idempotency", "delete", "k"], ["dlq", "purge", "q", "--older-than", "1h", "--yes"],
            ["dlq", "retry", "q", "1-0"], ["instances"],
        ]
        for command in commands {
            let output = try await BulwarkExecutable.run(command + ["--redis", url])
            #expect(output.status == 69, "\(command)")
            #expect(output.errorLines.count == 1, "\(command): \(output.standardError)")
            #expect(output.standardError.hasPrefix("bulwark: error: cannot reach Redis at redis://:***@127.0.0.1:\(redis.port)"))
            #expect(!output.standardError.contains("hunter2"))
            #expect(output.standardOutput.isEmpty)
        }
    }

    @Test func aPasswordProtectedRedisWorksAndItsPasswordNeverShows() async throws {
        let redis = try await RedisServerProcess.start(RedisServerOptions(password: "s3cret-pw"))
        defer { Task { await redis.shutdown() } }
        let good = try await BulwarkExecutable.run(["cache", "invalidate", "k", "--json", "--redis", redis.url])
        #expect(good.status == 0, "\(good.standardError)")
        #expect(!good.standardOutput.contains("s3cret-pw"))
        let wrong = try await BulwarkExecutable.run(["cache", "invalidate", "k", "--redis", "redis://:wrong-pw@127.0.0.1:\(redis.port)"])
        #expect(wrong.status != 0)
        #expect(wrong.errorLines.count == 1)
        #expect(!wrong.standardError.contains("wrong-pw"))
        #expect(wrong.standardError.contains("redis://:***@127.0.0.1"))
    }
}
