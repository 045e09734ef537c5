import Foundation
import Logging
import RedisClient
import Resilience
import SharedState

/// One service instance with shared breakers, driven line by line on stdin, for the multi-process tests
/// (`bulwark-instance`) and the propagation benchmark (`bulwark-bench --instance-mode`). Every answer is one
/// JSON object on stdout.
///
/// Arguments: `--redis URL --breaker NAME [--threshold N] [--break-ms MS] [--scope shared|local|quorum:K]
/// [--permits P] [--flush-ms MS] [--command-timeout-ms MS] [--instance ID] [--prefix P] [--first-wait-ms MS]`.
///
/// Commands:
/// - `call ok|fail` — one call through the breaker; answers `{"result":"ok|failed|rejected",…}`.
/// - `burst N ok|fail` — N calls one after another; answers the counts.
/// - `hold MS` — one call whose operation takes MS milliseconds (a slow probe).
/// - `state` — the breaker's state, generation and whether Redis is shared or on the fallback.
/// - `fail-until-rejected N` / `ok-until-rejected N` — tight loops until the breaker rejects (W2).
/// - `count-after NS` — how many calls of the last loop started after a wall-clock instant.
/// - `stampede N MS KEY` — N concurrent get-or-set calls of one key whose factory takes MS ms (W4).
/// - `cache-get KEY VALUE [TAG…]` / `cache-local` — a get-or-set, and the size of the in-process tier.
/// - `pcall ok|fail`, `admitted`, `isolate`, `disable`, `reset`, `command C` — see ``InstanceConsole/faultCommand(_:)``.
/// - `quit` — graceful stop.
public enum InstanceRunner {
    /// The first argument that makes `bulwark-bench` run as an instance.
    public static let modeFlag = "--instance-mode"

    /// Runs an instance until `quit` or the end of stdin.
    /// - Parameter commandLine: The arguments after the program name (and after ``modeFlag``).
    public static func run(_ commandLine: [String]) async throws {
        let arguments = try InstanceArguments(commandLine[...])
        var logger = Logger(label: "bulwark.instance")
        // Warnings by default; BULWARK_INSTANCE_LOG_LEVEL (trace … critical) shows more when a test is diagnosed.
        logger.logLevel = ProcessInfo.processInfo.environment["BULWARK_INSTANCE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        var redis = try RedisConfiguration(url: arguments.redisURL)
        redis.commandTimeout = .milliseconds(arguments.commandTimeoutMilliseconds)
        redis.maximumReconnectDelay = .milliseconds(200)
        let client = try RedisClient(configuration: redis, logger: logger)
        let registry = try SharedBreakerRegistry(
            client: client,
            options: SharedBreakerOptions(
                instanceID: arguments.instanceID,
                flushInterval: .milliseconds(arguments.flushMilliseconds),
                keyPrefix: arguments.keyPrefix,
                firstStateWait: .milliseconds(arguments.firstStateWaitMilliseconds)
            ),
            logger: logger
        )
        let breaker = try registry.breaker(
            named: arguments.breaker,
            configuration: CircuitBreakerConfiguration(
                failureThreshold: .consecutiveFailures(arguments.threshold),
                breakDuration: .fixed(.milliseconds(arguments.breakMilliseconds)),
                halfOpen: .init(permittedCalls: arguments.permits, successThreshold: 1, maximumWait: .seconds(10))
            ),
            scope: arguments.scope
        )
        let cache = try SharedCache(client: client, instanceID: arguments.instanceID, logger: logger)
        let service = Task { try await registry.run() }
        let cacheListener = Task { try await cache.run() }
        let console = InstanceConsole(breaker: breaker, registry: registry, cache: cache)
        emit(["ready": .string(arguments.instanceID)])
        while let line = await readLineOffPool() {
            if line == "quit" { break }
            emit(await console.handle(line))
        }
        service.cancel()
        cacheListener.cancel()
        _ = try? await service.value
        client.shutdown()
        emit(["stopped": .bool(true)])
    }

    /// Reads stdin on a Dispatch thread, so that a blocking read never holds a cooperative thread.
    static func readLineOffPool() async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: readLine(strippingNewline: true))
            }
        }
    }

    static func emit(_ fields: [String: InstanceConsole.Value]) {
        let body = fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value.json)" }.joined(separator: ",")
        FileHandle.standardOutput.write(Data(("{" + body + "}\n").utf8))
    }
}
