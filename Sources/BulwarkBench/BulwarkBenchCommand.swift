import ArgumentParser
import BulwarkInstanceKit
import Foundation
import RedisClient
import RedisTestSupport

/// `bulwark-bench`: runs the benchmark workloads (README, Benchmarks) and prints one JSON object per result.
@main
struct BulwarkBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulwark-bench",
        abstract: "Measure Bulwark against a real redis-server; results as JSON lines on stdout.",
        discussion: """
            Without --redis, starts its own redis-server on a free loopback port (persistence off) and stops it
            at the end, and runs redis-benchmark against it as the same-run reference.

            Example: swift run -c release bulwark-bench W0 policies --quick
            """
    )

    /// Every workload, in the order they run when none is named.
    static let catalog: [any BenchWorkload] = [
        RedisRoundTripWorkload(),
        BreakerClosedWorkload(),
        BreakerPropagationWorkload(),
        CacheHitWorkload(),
        CacheStampedeWorkload(),
        IdempotencyWorkload(),
        SessionTouchWorkload(),
        FailoverWorkload(),
        ClientCPUWorkload(),
        PoliciesWorkload(),
        GrowthWorkload(),
        MiddlewareWorkload(),
        GatewayWorkload(),
        HTTPClientWorkload(),
        FleetScaleWorkload(),
        RateLimitWorkload(),
        HedgingWorkload(),
    ]

    /// Runs as a shared-breaker instance when started with `--instance-mode` (W2 starts two of itself so).
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.first == InstanceRunner.modeFlag else {
            await main(nil)
            return
        }
        do {
            try await InstanceRunner.run(Array(arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("bulwark-bench --instance-mode: \(error)\n".utf8))
            Foundation.exit(2)
        }
    }

    @Argument(help: "Workload ids (W0) or names (redis-roundtrip), or 'policies'; none runs all.")
    var workloads: [String] = []

    @Option(help: "Use this Redis instead of starting one (redis-benchmark then runs against it too).")
    var redis: String?

    @Flag(help: "Scale every workload down for a smoke run.")
    var quick = false

    @OptionGroup(title: "W14 fleet-scale")
    var fleet: FleetScaleOptions

    func validate() throws {
        _ = try selected()
        if let redis {
            do { _ = try RedisURL(redis) } catch { throw ValidationError(error.message) }
        }
    }

    func run() async throws {
        let selected = try selected().map { workload -> any BenchWorkload in
            guard workload is FleetScaleWorkload else { return workload }
            return FleetScaleWorkload(options: fleet)
        }
        var server: RedisServerProcess?
        var cleanup: InterruptCleanup?
        var context = BenchContext(redisURL: redis, redisHost: "127.0.0.1", redisPort: nil, quick: quick, server: nil)
        if let redis, case .tcp(let host, let port) = try RedisURL(redis).endpoint {
            context.redisHost = host
            context.redisPort = port
        }
        if redis == nil, selected.contains(where: \.needsRedis) {
            let started = try await RedisServerProcess.start()
            context.redisURL = started.url
            context.redisPort = started.port
            context.server = started
            context.progress("started redis-server on port \(started.port)")
            server = started
            cleanup = InterruptCleanup(stopping: started)
        }
        do {
            for workload in selected {
                context.progress("running \(workload.id) \(workload.name)")
                if workload.needsRedis, let url = context.redisURL {
                    let flush = try RedisClient(url: url)
                    try await flush.send("FLUSHALL")
                    flush.shutdown()
                }
                try await workload.run(in: context)
            }
        } catch {
            cleanup?.cancel()
            await server?.shutdown()
            throw error
        }
        cleanup?.cancel()
        await server?.shutdown()
    }

    private func selected() throws -> [any BenchWorkload] {
        if workloads.isEmpty { return Self.catalog }
        return try workloads.map { requested in
            guard let workload = Self.catalog.first(where: { $0.id.lowercased() == requested.lowercased() || $0.name == requested }) else {
                let known = Self.catalog.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
                throw ValidationError("unknown workload '\(requested)'; known: \(known)")
            }
            return workload
        }
    }
}
