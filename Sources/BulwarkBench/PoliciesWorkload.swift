import Foundation
import Resilience

/// The `policies` workload: the cost of each in-memory policy per call, beside a bare call measured in the same run.
///
/// For each policy and for 1 and 16 concurrent callers it makes `n` calls of an operation that
/// returns at once, several times, each run right after a bare run of the same size, and reports:
/// `ops_per_s` and `p50_us`/`p99_us` of the run with the median elapsed time (single calls are
/// timed on every 64th call only, so that reading the clock does not weigh on the rest), and
/// `ns_per_call`, the median over the pairs of (policy run − bare run) / n — aggregate wall time
/// per call, so with 16 callers on 2 cores it is the throughput cost.
struct PoliciesWorkload: BenchWorkload {
    let id = "policies"
    let name = "policies"
    let needsRedis = false

    private typealias Run = CallMeasurement.Run

    func run(in context: BenchContext) async throws {
        let calls = context.scaled(1_000_000, quick: 20_000)
        let repeats = context.scaled(7, quick: 3)
        for callers in [1, 16] {
            let policies = try Self.policies()
            let bare = policies[0].call
            // The bare call alone, for its own line.
            _ = try await CallMeasurement.measure(calls: calls / 10, callers: callers, call: bare)
            var bareRuns: [Run] = []
            for _ in 0..<repeats { bareRuns.append(try await CallMeasurement.measure(calls: calls, callers: callers, call: bare)) }
            emit(context, policy: "bare", callers: callers, calls: calls, runs: bareRuns, overheads: [0])
            for (policy, call) in policies.dropFirst() {
                // A cancelling timeout starts a child task per call: a tenth of the calls keeps the run short.
                let n = policy.hasSuffix("-cancel") ? calls / 10 : calls
                context.progress("policies: \(policy), \(callers) callers, \(repeats) x \(n) calls, each beside a bare run")
                _ = try await CallMeasurement.measure(calls: n / 10, callers: callers, call: call)
                var runs: [Run] = []
                var overheads: [Double] = []
                for _ in 0..<repeats {
                    // Paired with a bare run just before it, so that the machine's drift cancels out.
                    let reference = try await CallMeasurement.measure(calls: n, callers: callers, call: bare)
                    let run = try await CallMeasurement.measure(calls: n, callers: callers, call: call)
                    runs.append(run)
                    overheads.append((Double(run.elapsedNanos) - Double(reference.elapsedNanos)) / Double(n))
                }
                emit(context, policy: policy, callers: callers, calls: n, runs: runs, overheads: overheads)
            }
        }
    }

    private func emit(_ context: BenchContext, policy: String, callers: Int, calls: Int, runs: [Run], overheads: [Double]) {
        let median = runs.sorted { $0.elapsedNanos < $1.elapsedNanos }[runs.count / 2]
        var line = BenchLine(id: id, workload: name)
        line["policy"] = .string(policy)
        line["callers"] = .int(callers)
        line["n"] = .int(calls)
        line["ops_per_s"] = .double(Double(calls) / (Double(median.elapsedNanos) / 1e9))
        line["ns_per_call"] = .double(overheads.sorted()[overheads.count / 2])
        line.addPercentiles(median.samples)
        line["runs"] = .int(runs.count)
        context.emit(line)
    }

    /// The policies measured, each as one guarded call of an operation that returns at once; `bare` first.
    ///
    /// `pipeline` has the five strategies of Polly's pipeline benchmark in Bulwark's one order: bulkhead → total
    /// timeout → retry → circuit breaker → attempt timeout, with deadline timeouts (the operation is trusted with
    /// the deadline, as Polly trusts it with a cancellation token). `timeout` is such a timeout alone.
    /// `timeout-cancel` and `pipeline-cancel` are the same with cancelling timeouts, which run the operation in a
    /// child task so that it can be cancelled at the deadline.
    private static func policies() throws -> [(name: String, call: @Sendable (Int) async throws -> Int)] {
        let breaker = try CircuitBreaker(name: "bench-breaker")
        let retry = try RetryPolicy(name: "bench-retry")
        let timeout = TimeoutPolicy(name: "bench-timeout", timeout: .seconds(10), enforcement: .deadline)
        let cancellingTimeout = TimeoutPolicy(name: "bench-timeout-cancel", timeout: .seconds(10))
        let bulkhead = try Bulkhead(name: "bench-bulkhead", configuration: BulkheadConfiguration(maxConcurrentCalls: 64))
        let pipeline = try pollyShapedPipeline("bench-pipeline", enforcement: .deadline)
        let cancellingPipeline = try pollyShapedPipeline("bench-pipeline-cancel", enforcement: .cancel)
        return [
            ("bare", CallMeasurement.bare),
            ("breaker", { value in try await breaker.execute { CallMeasurement.operation(value) } }),
            ("retry", { value in try await retry.execute { CallMeasurement.operation(value) } }),
            ("timeout", { value in try await timeout.execute { CallMeasurement.operation(value) } }),
            ("bulkhead", { value in try await bulkhead.execute { CallMeasurement.operation(value) } }),
            ("pipeline", { value in try await pipeline.execute { CallMeasurement.operation(value) } }),
            ("timeout-cancel", { value in try await cancellingTimeout.execute { CallMeasurement.operation(value) } }),
            ("pipeline-cancel", { value in try await cancellingPipeline.execute { CallMeasurement.operation(value) } }),
        ]
    }

    /// Bulkhead → total timeout → retry → circuit breaker → attempt timeout, with timeouts of `enforcement`.
    private static func pollyShapedPipeline(_ name: String, enforcement: TimeoutPolicy.Enforcement) throws -> ResiliencePipeline<Int> {
        ResiliencePipelineBuilder<Int>(name: name)
            .bulkhead(try Bulkhead(name: name + "-bulkhead", configuration: BulkheadConfiguration(maxConcurrentCalls: 64)))
            .totalTimeout(TimeoutPolicy(name: name + "-total-timeout", timeout: .seconds(30), enforcement: enforcement))
            .retry(try RetryPolicy(name: name + "-retry"))
            .circuitBreaker(try CircuitBreaker(name: name + "-breaker"))
            .attemptTimeout(TimeoutPolicy(name: name + "-attempt-timeout", timeout: .seconds(10), enforcement: enforcement))
            .build()
    }
}
