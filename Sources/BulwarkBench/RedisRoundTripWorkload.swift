import Foundation
import RedisClient

/// W0: our client's `PING` and `GET` of a 256-byte value — one connection unpipelined, 16 concurrent
/// callers over the pool, one connection pipelined 16 deep — beside `redis-benchmark` with the same settings.
struct RedisRoundTripWorkload: BenchWorkload {
    let id = "W0"
    let name = "redis-roundtrip"
    let needsRedis = true

    /// The key redis-benchmark's SET test writes (with `-d 256`) and its GET test reads; we GET the same one.
    static let key = "key:__rand_int__"

    /// One way of driving the client. The 16-caller mode uses a pool of one connection: on this 2-core
    /// machine one connection thread that batches all sixteen callers beats two that split them.
    private struct Mode {
        let name: String
        let callers: Int
        let pipeline: Int
        let poolSize: Int
    }

    func run(in context: BenchContext) async throws {
        guard let url = context.redisURL else { return }
        let requests = context.scaled(200_000, quick: 20_000)
        let repeats = context.quick ? 1 : 3
        let modes = [
            Mode(name: "c1", callers: 1, pipeline: 1, poolSize: 1),
            Mode(name: "c16", callers: 16, pipeline: 1, poolSize: 1),
            Mode(name: "P16", callers: 1, pipeline: 16, poolSize: 1),
        ]
        for mode in modes {
            for command in ["PING", "GET"] {
                var ours: [(opsPerSecond: Double, samples: LatencySamples)] = []
                var theirs: [Double] = []
                for round in 0..<repeats {
                    context.progress("W0 \(mode.name) \(command) round \(round + 1)/\(repeats)")
                    // Alternate who goes first so that neither always meets a warmer machine.
                    if round % 2 == 0 {
                        ours.append(try await measure(url: url, mode: mode, command: command, requests: requests))
                        theirs.append(try await reference(context: context, mode: mode, command: command, requests: requests))
                    } else {
                        theirs.append(try await reference(context: context, mode: mode, command: command, requests: requests))
                        ours.append(try await measure(url: url, mode: mode, command: command, requests: requests))
                    }
                }
                let median = ours.sorted { $0.opsPerSecond < $1.opsPerSecond }[ours.count / 2]
                let referenceMedian = theirs.sorted()[theirs.count / 2]
                var line = BenchLine(id: id, workload: name)
                line["mode"] = .string(mode.name)
                line["cmd"] = .string(command)
                line["n"] = .int(requests)
                line["repeats"] = .int(repeats)
                line["pool_size"] = .int(mode.poolSize)
                line["ops_per_s"] = .int(Int(median.opsPerSecond))
                line.addPercentiles(median.samples)
                line.addReference(tool: "redis-benchmark", opsPerSecond: referenceMedian, ours: median.opsPerSecond)
                context.emit(line)
            }
        }
    }

    private func reference(context: BenchContext, mode: Mode, command: String, requests: Int) async throws -> Double {
        let reference = try await context.referenceOpsPerSecond(
            tests: command == "PING" ? ["ping_mbulk"] : ["set", "get"],
            pick: command == "PING" ? "ping_mbulk" : "get",
            clients: mode.callers,
            pipeline: mode.pipeline,
            requests: requests,
            dataSize: 256
        )
        return reference ?? .nan
    }

    private func measure(url: String, mode: Mode, command: String, requests: Int) async throws -> (Double, LatencySamples) {
        var configuration = try RedisConfiguration(url: url)
        configuration.poolSize = mode.poolSize
        let client = try RedisClient(configuration: configuration)
        defer { client.shutdown() }
        try await client.send("SET", Self.key, [UInt8](repeating: UInt8(ascii: "x"), count: 256))
        let redisCommand = command == "PING" ? RedisCommand("PING") : RedisCommand("GET", Self.key)
        let batch = [RedisCommand](repeating: redisCommand, count: mode.pipeline)
        let perCaller = requests / mode.callers / mode.pipeline
        // Warm up the connections before the clock starts.
        for _ in 0..<100 { try await client.send(redisCommand) }

        let clock = ContinuousClock()
        let start = clock.now
        let samples = try await withThrowingTaskGroup(of: LatencySamples.self) { group in
            for _ in 0..<mode.callers {
                group.addTask {
                    var samples = LatencySamples(reservingCapacity: perCaller)
                    for _ in 0..<perCaller {
                        let began = clock.now
                        if mode.pipeline == 1 {
                            try await client.send(redisCommand)
                        } else {
                            _ = try await client.pipeline(batch)
                        }
                        samples.record(clock.now - began)
                    }
                    return samples
                }
            }
            var all = LatencySamples(reservingCapacity: requests)
            for try await samples in group { all.merge(samples) }
            return all
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (Double(perCaller * mode.callers * mode.pipeline) / seconds, samples)
    }
}
