import Logging
import RedisClient

extension BenchContext {
    /// A logger for the libraries under test that keeps stderr to `level` and above, so progress stays readable.
    func quietLogger(_ level: Logger.Level = .warning) -> Logger {
        var logger = Logger(label: "bulwark.bench")
        logger.logLevel = level
        return logger
    }

    /// A client of the bench's Redis with `poolSize` connections, adjusted by `configure`.
    func makeClient(
        poolSize: Int = 2,
        logger: Logger,
        configure: (inout RedisConfiguration) -> Void = { _ in }
    ) throws -> RedisClient {
        guard let url = redisURL else { throw RedisClientError(.invalidConfiguration, "the workload needs Redis") }
        var configuration = try RedisConfiguration(url: url)
        configuration.poolSize = poolSize
        configure(&configuration)
        return try RedisClient(configuration: configuration, logger: logger)
    }
}
