import BulwarkTestSupport
import Foundation
import RedisClient
import RedisTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real redis-server for one test, a client on it, and `bulwark` invocations pointed at it under one key prefix.
struct CLIHarness: Sendable {
    let redis: RedisServerProcess
    let client: RedisClient
    let prefix: String

    /// Runs `bulwark arguments… --redis URL --key-prefix PREFIX`.
    func bulwark(_ arguments: String...) async throws -> BulwarkExecutable.Output {
        try await BulwarkExecutable.run(arguments + ["--redis", redis.url, "--key-prefix", prefix])
    }

    /// Whether Redis holds `key`.
    func exists(_ key: String) async throws -> Bool {
        try await client.send("EXISTS", key).int == 1
    }

    /// Waits until at least `count` processes subscribe to `channel`, so that what is published next reaches them.
    func waitForSubscribers(_ channel: String, count: Int = 1) async throws {
        try await eventually(attempts: 300) {
            let reply = try await client.send("PUBSUB", "NUMSUB", channel)
            guard (reply.array?.last?.int ?? 0) >= count else { throw NotYet() }
        }
    }

    /// Starts `bulwark serve` on this Redis under this prefix.
    func serve(instance: String, demo: Bool = false) async throws -> ServeProcess {
        try await ServeProcess.start(
            redisURL: redis.url,
            instance: instance,
            adminToken: "cli-test-token-0123456789",
            keyPrefix: prefix,
            arguments: demo ? ["--demo"] : []
        )
    }
}

/// Starts a redis-server, runs `body` with a harness whose key prefix is `prefix`, and always stops the server.
func withCLIHarness(prefix: String = "bulwark", _ body: (CLIHarness) async throws -> Void) async throws {
    let redis = try await RedisServerProcess.start()
    let client = try RedisClient(url: redis.url)
    defer { client.shutdown() }
    do {
        try await body(CLIHarness(redis: redis, client: client, prefix: prefix))
    } catch {
        await redis.shutdown()
        throw error
    }
    await redis.shutdown()
}

/// Thrown inside `eventually` while the condition waited for does not hold yet.
struct NotYet: Error {}

/// The service's HTTP answers.
enum ServiceHTTP {
    /// `GET path` on the service: the status and the body as a JSON object.
    static func json(_ serve: ServeProcess, _ path: String) async throws -> (status: Int, body: [String: Any]) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: serve.url + path)!)
        let body = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
    }

    /// The value of one sample of `GET /metrics`, such as `bulwark_breaker_state{breaker="demo-catalog"}`.
    static func metric(_ serve: ServeProcess, _ sample: String) async throws -> Double? {
        let (data, _) = try await URLSession.shared.data(from: URL(string: serve.url + "/metrics")!)
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(sample + " ") }) else { return nil }
        return Double(line.split(separator: " ").last ?? "")
    }
}
