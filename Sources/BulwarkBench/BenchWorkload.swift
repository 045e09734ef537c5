import Foundation
import RedisTestSupport

/// A benchmark workload of `bulwark-bench` (the workloads are listed in the README, Benchmarks).
protocol BenchWorkload: Sendable {
    /// The short id, such as `W0`.
    var id: String { get }
    /// The name, such as `redis-roundtrip`.
    var name: String { get }
    /// Whether the workload needs a Redis server.
    var needsRedis: Bool { get }
    /// Runs the workload and emits its result lines through `context`.
    func run(in context: BenchContext) async throws
}

/// What a workload is given to run.
struct BenchContext: Sendable {
    /// The Redis URL to use, when the workload needs one.
    var redisURL: String?
    /// The port of the Redis server the bench started itself, when it did; `redis-benchmark` is run against it.
    var redisHost: String
    /// The port used by `redis-benchmark`.
    var redisPort: Int?
    /// A scaled-down smoke run.
    var quick: Bool
    /// The server the bench started itself, which failover workloads may stop and start; `nil` with `--redis`.
    var server: RedisServerProcess?

    /// Prints one result line on stdout.
    func emit(_ line: BenchLine) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data((line.json + "\n").utf8))
        } catch {
            // Nobody reads the results any more (a closed pipe): stop as if told to, cleaning up on the way.
            kill(getpid(), SIGTERM)
        }
    }

    /// Prints progress on stderr.
    func progress(_ message: String) {
        FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
    }

    /// `full` normally, `quick` with `--quick`.
    func scaled(_ full: Int, quick quickValue: Int) -> Int {
        quick ? quickValue : full
    }
}
