import Foundation
import Testing

@testable import RedisTestSupport

@Suite struct RedisServerProcessTests {
    @Test func startsOnLoopbackAndStopEndsTheProcess() async throws {
        let server = try await RedisServerProcess.start()
        #expect(server.host == "127.0.0.1")
        #expect(server.url == "redis://127.0.0.1:\(server.port)")
        #expect(server.isRunning)
        #expect(processExists(server.pid))
        #expect(try await send([["PING"]], to: server.port) == [.simpleString("PONG")])
        // Persistence is off.
        let save = try await send([["CONFIG", "GET", "save"], ["CONFIG", "GET", "appendonly"]], to: server.port)
        #expect(save == [.array([.bulkString("save"), .bulkString("")]), .array([.bulkString("appendonly"), .bulkString("no")])])

        let pid = server.pid
        try await server.stop()
        #expect(!server.isRunning)
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
        #expect(await server.respondsToPing(within: .milliseconds(200)) == false)
        await server.shutdown()
    }

    @Test func killEndsTheProcessAndShutdownRemovesTheDirectory() async throws {
        let server = try await RedisServerProcess.start()
        let pid = server.pid
        let directory = server.directory
        #expect(FileManager.default.fileExists(atPath: server.logPath))
        try await server.kill()
        #expect(!processExists(pid))
        await server.shutdown()
        #expect(!FileManager.default.fileExists(atPath: directory))
        await #expect(throws: RedisTestSupportError.self) { try await server.restart() }
    }

    @Test func droppingTheLastReferenceEndsTheProcess() async throws {
        var server: RedisServerProcess? = try await RedisServerProcess.start()
        let pid = try #require(server?.pid)
        let directory = try #require(server?.directory)
        #expect(processExists(pid))
        server = nil
        #expect(!processExists(pid))
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func pauseMakesPingTimeOutAndResumeBringsItBack() async throws {
        let server = try await RedisServerProcess.start()
        try await server.pause()
        #expect(server.isRunning)
        #expect(await server.respondsToPing(within: .milliseconds(300)) == false)
        let error = await #expect(throws: RedisTestSupportError.self) {
            try await send([["PING"]], to: server.port, timeout: .milliseconds(300))
        }
        #expect(error?.code == .timedOut)
        try await server.resume()
        #expect(await server.respondsToPing(within: .seconds(2)))
        await server.shutdown()
    }

    @Test func stopEndsAPausedServer() async throws {
        let server = try await RedisServerProcess.start()
        let pid = server.pid
        try await server.pause()
        try await server.stop()
        #expect(!processExists(pid))
        await server.shutdown()
    }

    @Test func restartKeepsThePort() async throws {
        let server = try await RedisServerProcess.start()
        let port = server.port
        let firstPID = server.pid
        _ = try await send([["SET", "k", "v"]], to: port)

        try await server.restart()
        #expect(server.port == port)
        #expect(server.pid != firstPID)
        #expect(!processExists(firstPID))
        #expect(try await send([["PING"], ["GET", "k"]], to: port) == [.simpleString("PONG"), .bulkString(nil)])

        // After a crash, too.
        try await server.kill()
        try await server.restart()
        #expect(server.port == port)
        #expect(await server.respondsToPing())
        await server.shutdown()
    }

    @Test func restartWaitsWhileThePortIsBrieflyTaken() async throws {
        let server = try await RedisServerProcess.start()
        try await server.stop()
        let blocker = try #require(occupyLoopbackPort(server.port))
        let release = Task {
            try await Task.sleep(for: .milliseconds(500))
            close(blocker)
        }
        try await server.restart()
        try await release.value
        #expect(await server.respondsToPing())
        #expect(server.logTailContainsBindFailure)
        await server.shutdown()
    }

    @Test func passwordRequiresAuthentication() async throws {
        let server = try await RedisServerProcess.start(.init(password: "s3cret/:@"))
        #expect(server.url == "redis://:s3cret%2F%3A%40@127.0.0.1:\(server.port)")
        #expect(await server.respondsToPing())
        let replies = try await send([["PING"], ["AUTH", "wrong"], ["AUTH", "s3cret/:@"], ["PING"]], to: server.port)
        guard case .error(let noAuth) = replies[0], case .error(let wrongPass) = replies[1] else {
            Issue.record("expected errors, got \(replies)")
            return
        }
        #expect(noAuth.hasPrefix("NOAUTH"))
        #expect(wrongPass.hasPrefix("WRONGPASS"))
        #expect(Array(replies[2...]) == [.simpleString("OK"), .simpleString("PONG")])
        await server.shutdown()
    }

    @Test func aclUserCanAuthenticate() async throws {
        let user = RedisServerOptions.ACLUser(name: "alice", password: "wonder land")
        let server = try await RedisServerProcess.start(.init(aclUser: user))
        #expect(server.url == "redis://alice:wonder%20land@127.0.0.1:\(server.port)")
        let replies = try await send([["AUTH", "alice", "wonder land"], ["ACL", "WHOAMI"]], to: server.port)
        #expect(replies == [.simpleString("OK"), .bulkString("alice")])
        await server.shutdown()
    }

    @Test func unixSocketIsCreatedInTheServerDirectory() async throws {
        let server = try await RedisServerProcess.start(.init(unixSocketPath: "redis.sock"))
        let path = try #require(server.unixSocketPath)
        #expect(path == server.directory + "/redis.sock")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeSocket)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        await server.shutdown()
    }

    @Test func startFailureIncludesTheLogTail() async throws {
        let error = await #expect(throws: RedisTestSupportError.self) {
            try await RedisServerProcess.start(.init(extraArguments: ["--no-such-directive", "1"]))
        }
        #expect(error?.code == .exitedDuringStartup)
        #expect(error?.message?.contains("no-such-directive") == true)
    }

    @Test func missingExecutableIsReported() async throws {
        let error = await #expect(throws: RedisTestSupportError.self) {
            try await RedisServerProcess.start(.init(executable: "redis-server-that-does-not-exist"))
        }
        #expect(error?.code == .executableNotFound)
    }
}

extension RedisServerProcess {
    /// Whether the log shows that a launch found the port taken.
    fileprivate var logTailContainsBindFailure: Bool {
        (try? String(contentsOfFile: logPath, encoding: .utf8))?.contains("Address already in use") == true
    }
}
