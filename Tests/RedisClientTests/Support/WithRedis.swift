import RedisClient
import RedisTestSupport

/// Starts a fresh `redis-server`, runs `body` with it and a client, and always stops the server.
func withRedis<Result>(
    _ options: RedisServerOptions = .init(),
    configure: (inout RedisConfiguration) -> Void = { _ in },
    _ body: (RedisServerProcess, RedisClient) async throws -> Result
) async throws -> Result {
    let server = try await RedisServerProcess.start(options)
    do {
        var configuration = try RedisConfiguration(url: server.url)
        configure(&configuration)
        let client = try RedisClient(configuration: configuration)
        defer { client.shutdown() }
        let result = try await body(server, client)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// Retries `body` until it succeeds or `attempts` run out, pausing between tries: for the moments after a
/// restart or failover, when the client is allowed to fail fast a few times.
func eventually<Result>(
    attempts: Int = 100,
    pause: Duration = .milliseconds(50),
    _ body: () async throws -> Result
) async throws -> Result {
    var lastError: (any Error)?
    for _ in 0..<attempts {
        do {
            return try await body()
        } catch {
            lastError = error
            try await Task.sleep(for: pause)
        }
    }
    throw lastError ?? CancellationError()
}
