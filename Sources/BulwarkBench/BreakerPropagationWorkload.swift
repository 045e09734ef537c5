import BulwarkInstanceKit
import Foundation
import RedisClient
import SharedState

/// W2: two processes A and B share breaker `bench`; the dependency starts failing. Two modes, one line each:
///
/// - `shared-dependency`: A and B both call the failing dependency in tight loops until their breaker
///   rejects. Reports how long after the first instance's first rejection the other rejected, and the calls
///   both let through to the dependency beyond the shared threshold (`excess_calls_max`).
/// - `healthy-observer`: only A's calls fail; B calls a healthy dependency and learns of the trip from the
///   published transition alone: the pure pub/sub propagation time, and how many of B's (healthy) calls
///   started after A's breaker opened.
///
/// An instance's "opening" is the start of its first rejected call: a failing call returns only once its
/// failure has been reported and Redis's answer applied, so the next call is the first to see the trip.
struct BreakerPropagationWorkload: BenchWorkload {
    let id = "W2"
    let name = "breaker-trip-propagation"
    let needsRedis = true

    private static let threshold = 5

    func run(in context: BenchContext) async throws {
        guard let url = context.redisURL else { return }
        let trials = context.scaled(20, quick: 5)
        let executable = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let arguments = ["--breaker", "bench", "--threshold", String(Self.threshold), "--break-ms", "60000", "--flush-ms", "250"]
        let a = try await InstanceProcess.start(
            executable: executable,
            leadingArguments: [InstanceRunner.modeFlag],
            redisURL: url,
            instance: "A",
            arguments: arguments
        )
        let b = try await InstanceProcess.start(
            executable: executable,
            leadingArguments: [InstanceRunner.modeFlag],
            redisURL: url,
            instance: "B",
            arguments: arguments
        )
        let operatorClient = try RedisClient(url: url)
        defer { operatorClient.shutdown() }
        let store = SharedBreakerStore(client: operatorClient)
        let breaker = try BreakerName("bench")

        for mode in ["shared-dependency", "healthy-observer"] {
            var propagation = LatencySamples()
            var excess: [Int] = []
            var observerCalls: [Int] = []
            for trial in 0..<trials {
                context.progress("W2 \(mode) trial \(trial + 1)/\(trials)")
                try await store.command(.reset, breaker: breaker)
                try await Task.sleep(for: .milliseconds(100))
                let observing = mode == "healthy-observer"
                async let second = b.send(observing ? "ok-until-rejected 50000000" : "fail-until-rejected 100000")
                if observing { try await Task.sleep(for: .milliseconds(50)) }
                let first = try await a.send("fail-until-rejected 100000")
                let other = try await second
                let firstRejection = first.count("rejected_at_ns")
                let otherRejection = other.count("rejected_at_ns")
                guard firstRejection > 0, otherRejection > 0 else {
                    throw InstanceFailure(message: "W2 \(mode) trial \(trial): a breaker never opened (A \(first.fields), B \(other.fields))")
                }
                if observing {
                    propagation.record(UInt64(max(0, otherRejection - firstRejection)))
                    excess.append(max(0, first.count("ran") - Self.threshold))
                    observerCalls.append(try await b.send("count-after \(firstRejection)").count("count"))
                } else {
                    propagation.record(UInt64(abs(otherRejection - firstRejection)))
                    excess.append(max(0, first.count("ran") + other.count("ran") - Self.threshold))
                }
            }
            var line = BenchLine(id: id, workload: name)
            line["mode"] = .string(mode)
            line["trials"] = .int(trials)
            line["n"] = .int(trials)
            line["threshold"] = .int(Self.threshold)
            line["propagation_p50_ms"] = .double(propagation.percentileMicroseconds(0.5) / 1_000)
            line["propagation_p99_ms"] = .double(propagation.percentileMicroseconds(0.99) / 1_000)
            line["excess_calls_max"] = .int(excess.max() ?? 0)
            if !observerCalls.isEmpty { line["observer_calls_after_open_max"] = .int(observerCalls.max() ?? 0) }
            line["ops_per_s"] = .double(.nan)
            line["p50_us"] = .double(propagation.percentileMicroseconds(0.5))
            line["p99_us"] = .double(propagation.percentileMicroseconds(0.99))
            context.emit(line)
        }
        await a.stop()
        await b.stop()

    }
}
