import BulwarkTestSupport
import Foundation
import RedisTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `GET /api/v1/events` read as a browser reads it, from a real `bulwark serve`: a snapshot first, then
/// the change an operator made, and an end to the stream when the service shuts down gracefully.
@Suite(.serialized) struct EventStreamTests {
    static let token = "stream-test-token-0123456789"

    @Test func theStreamStartsWithASnapshotThenSendsTheChangedBreakerAndEndsOnShutdown() async throws {
        let redis = try await RedisServerProcess.start()
        defer { Task { await redis.shutdown() } }
        let serve = try await ServeProcess.start(redisURL: redis.url, instance: "streamer", adminToken: Self.token, arguments: ["--demo"])
        defer { Task { await serve.process.terminate() } }
        // curl reads the stream as it arrives (-N: no buffering) and prints it.
        let stream = try OutputProcess(URL(fileURLWithPath: "/usr/bin/curl"), ["-sN", serve.url + "/api/v1/events"])
        defer { Task { await stream.terminate() } }
        _ = try await stream.waitFor("the snapshot", timeout: .seconds(60)) { $0.contains("event: snapshot\ndata: {") ? true : nil }
        #expect(stream.text.hasPrefix("retry: 2000\n\nevent: snapshot\ndata: {"))
        // The demo registers its breakers as it starts: in the snapshot, or in a breaker event soon after.
        _ = try await stream.waitFor("the demo's catalog", timeout: .seconds(60)) { $0.contains(#""name":"demo-catalog""#) ? true : nil }

        var request = URLRequest(url: URL(string: serve.url + "/api/v1/breakers/demo-catalog/open")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(Self.token)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let change = try await stream.waitFor("a breaker event for the forced-open catalog", timeout: .seconds(30)) { text in
            text.split(separator: "\n\n").first {
                $0.hasPrefix("event: breaker") && $0.contains(#""name":"demo-catalog""#) && $0.contains(#""state":"isolated""#)
            }
        }
        #expect(change.contains(#""severity":5"#))

        // An open stream does not hold the shutdown: it ends, and curl with it.
        #expect(await serve.stopGracefully(timeout: .seconds(30)))
        #expect(await stream.waitForExit(timeout: .seconds(10)))
    }
}
