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
