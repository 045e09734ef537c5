import Foundation
import Logging
import RedisClient
import Resilience
import SharedState
import Synchronization

/// W14: N virtual instances in one process (each its own registry, instance id and Redis connections) × M
/// shared breakers, each breaker called at a fixed rate with a fixed failure mix.
///
/// For each flushing mode (`eager`: today's flush every flush interval and each failure at once, the same-run
/// reference; `lazy`: successes wait, failures flush when they could change a decision) it emits:
/// - `phase: healthy`: redis-server's CPU (`INFO cpu`) and commands (`INFO stats`) per second per
///   (instance × breaker) pair, with the busiest commands and their time inside Redis (`INFO commandstats`);
/// - `phase: outage`: breaker 0's dependency goes down on every instance, `trials` times: the time from the
///   trip (the first instance that saw its breaker open) to each other instance seeing it (p50/p99 over all
///   instances and trials), and the calls each instance let through to the failing dependency after the trip.
struct FleetScaleWorkload: BenchWorkload {
    let id = "W14"
    let name = "fleet-scale"
    let needsRedis = true
    var options = FleetScaleOptions()

    func run(in context: BenchContext) async throws {
        guard let url = context.redisURL else { return }
        let quick = context.quick
        let healthySeconds = quick ? min(options.healthySeconds, 5) : options.healthySeconds
        let trials = quick ? min(options.outageTrials, 2) : options.outageTrials
        let admin = try RedisClient(url: url)
        defer { admin.shutdown() }
        var reference: BenchLine?
        for mode in options.modes {
            let prefix = "w14-\(mode)-\(SharedBreakerOptions.randomInstanceID())"
            let instances = try makeInstances(context: context, mode: mode, prefix: prefix)
            let services = instances.map { instance in Task { try await instance.registry.run() } }
            let failureEvery = options.failurePercent > 0 ? max(1, Int((100 / options.failurePercent).rounded())) : nil
            let drivers = instances.map { instance in
                Task { await instance.drive(rate: options.rate, failureEvery: failureEvery) }
            }
            context.progress("W14 \(mode): \(instances.count) instances × \(options.breakers) breakers, warming up")
            try await Task.sleep(for: .seconds(quick ? min(options.warmupSeconds, 3) : options.warmupSeconds))
            context.progress("W14 \(mode): measuring the healthy phase for \(healthySeconds) s")
            let callsBefore = instances.reduce(0) { $0 + $1.calls.load(ordering: .relaxed) }
            let sentBefore = instances.reduce(0) { $0 + $1.client.statistics.commands }
            let start = try await FleetScaleRedisMeter.read(admin)
            let clock = ContinuousClock()
            let began = clock.now
            try await Task.sleep(for: .seconds(healthySeconds))
            let end = try await FleetScaleRedisMeter.read(admin)
            let made = Double(instances.reduce(0) { $0 + $1.calls.load(ordering: .relaxed) } - callsBefore)
            let sent = Double(instances.reduce(0) { $0 + $1.client.statistics.commands } - sentBefore)
            let elapsed = Double((clock.now - began).components.seconds) + Double((clock.now - began).components.attoseconds) / 1e18
            let delta = FleetScaleRedisMeter.delta(from: start, to: end)
            let pairs = Double(instances.count * options.breakers)
            var healthy = line(mode: mode, phase: "healthy", instances: instances.count)
            healthy["seconds"] = .double(elapsed)
            healthy["calls_per_s_achieved"] = .double(made / elapsed)
            healthy["redis_cpu_us_per_pair_per_s"] = .double(delta.cpuMicroseconds / elapsed / pairs)
            healthy["cmds_per_pair_per_s"] = .double(sent / elapsed / pairs)
            healthy["redis_cmds_incl_scripts_per_pair_per_s"] = .double(delta.commands / elapsed / pairs)
            healthy["redis_cpu_pct"] = .double(delta.cpuMicroseconds / elapsed / 1e4)
            healthy["commands"] = .string(delta.summary)
            healthy["ops_per_s"] = .double(delta.commands / elapsed)
            healthy["p50_us"] = .double(.nan)
            healthy["p99_us"] = .double(.nan)
            if let reference, let ours = healthy["cmds_per_pair_per_s"], case .double(let value) = ours,
                case .double(let base)? = reference["cmds_per_pair_per_s"], case .double(let cpu)? = healthy["redis_cpu_us_per_pair_per_s"],
                case .double(let baseCPU)? = reference["redis_cpu_us_per_pair_per_s"]
            {
                var object = BenchLine()
                object["mode"] = .string("eager (same run)")
                object["cmds_per_pair_per_s"] = .double(base)
                object["redis_cpu_us_per_pair_per_s"] = .double(baseCPU)
                healthy["reference"] = .object(object)
                healthy["ratio"] = .double(value / base)
                healthy["cpu_ratio"] = .double(cpu / baseCPU)
            }
            if mode == "eager" { reference = healthy }
            context.emit(healthy)
            if trials > 0 {
                context.emit(try await outage(instances: instances, trials: trials, mode: mode, context: context, admin: admin, prefix: prefix))
            }
            for driver in drivers { driver.cancel() }
            for driver in drivers { await driver.value }
            for service in services { service.cancel() }
            for service in services { _ = try? await service.value }
            for instance in instances { instance.client.shutdown() }
            try await deleteKeys(prefix: prefix, admin: admin)
        }
    }

    private func line(mode: String, phase: String, instances: Int) -> BenchLine {
        var line = BenchLine(id: id, workload: name)
        line["mode"] = .string(mode)
        line["phase"] = .string(phase)
        line["instances"] = .int(instances)
        line["breakers"] = .int(options.breakers)
        line["calls_per_s_per_breaker"] = .double(options.rate)
        line["failure_pct"] = .double(options.failurePercent)
        line["n"] = .int(instances * options.breakers)
        return line
    }

    /// The breakers' configuration: the defaults (a failure ratio of 0.5 over 30 s, at least 20 calls), with a
    /// break long enough that no breaker half-opens during an outage trial.
    static let configuration = CircuitBreakerConfiguration(breakDuration: .fixed(.seconds(60)))

    private func makeInstances(context: BenchContext, mode: String, prefix: String) throws -> [FleetScaleInstance] {
        let logger = context.quietLogger(.error)
        return try (0..<options.instances).map { index in
            let client = try context.makeClient(poolSize: 1, logger: logger)
            var registryOptions = SharedBreakerOptions(instanceID: "\(prefix)-\(index)", keyPrefix: prefix)
            registryOptions.lazyFlushing = mode == "lazy"
            let registry = try SharedBreakerRegistry(client: client, options: registryOptions, logger: logger)
            let breakers = try (0..<options.breakers).map { position in
                try registry.breaker(named: "b\(position)", configuration: Self.configuration)
            }
            return FleetScaleInstance(index: index, client: client, registry: registry, breakers: breakers)
        }
    }

    /// Breaker 0's dependency goes down on every instance, `trials` times (reset by an operator in between).
    private func outage(
        instances: [FleetScaleInstance],
        trials: Int,
        mode: String,
        context: BenchContext,
        admin: RedisClient,
        prefix: String
    ) async throws -> BenchLine {
        let store = SharedBreakerStore(client: admin, prefix: prefix)
        let name = try BreakerName("b0")
        var propagation = LatencySamples()
        var tripAfter = LatencySamples()
        var excess: [Int] = []
        var missed = 0
        for trial in 0..<trials {
            context.progress("W14 \(mode): outage \(trial + 1)/\(trials)")
            try await store.command(.reset, breaker: name)
            try await Task.sleep(for: .seconds(3))
            for instance in instances { instance.outageCalls.withLock { $0.removeAll(keepingCapacity: true) } }
            let watcher = FleetScaleTripWatcher(breakers: instances.map { $0.breakers[0] })
            let down = FleetScaleInstance.nowNanos()
            for instance in instances { instance.outage.store(true, ordering: .relaxed) }
            let seen = await watcher.watch(timeout: .seconds(60))
            for instance in instances { instance.outage.store(false, ordering: .relaxed) }
            let known = seen.compactMap { $0 }
            missed += seen.count - known.count
            guard let trip = known.min() else { continue }
            tripAfter.record(trip - down)
            var tripperSkipped = false
            for time in known {
                if time == trip, !tripperSkipped {
                    tripperSkipped = true
                    continue
                }
                propagation.record(time - trip)
            }
            for instance in instances {
                excess.append(instance.outageCalls.withLock { calls in calls.count { $0 > trip } })
            }
        }
        try await store.command(.reset, breaker: name)
        var line = line(mode: mode, phase: "outage", instances: instances.count)
        line["trials"] = .int(trials)
        line["propagation_p50_ms"] = .double(propagation.percentileMicroseconds(0.5) / 1_000)
        line["propagation_p99_ms"] = .double(propagation.percentileMicroseconds(0.99) / 1_000)
        line["excess_calls_max_per_instance"] = .int(excess.max() ?? 0)
        line["excess_calls_mean_per_instance"] = .double(excess.isEmpty ? 0 : Double(excess.reduce(0, +)) / Double(excess.count))
        line["instances_never_open"] = .int(missed)
        line["trip_after_outage_p50_ms"] = .double(tripAfter.percentileMicroseconds(0.5) / 1_000)
        line["ops_per_s"] = .double(.nan)
        line["p50_us"] = .double(propagation.percentileMicroseconds(0.5))
        line["p99_us"] = .double(propagation.percentileMicroseconds(0.99))
        return line
    }

    /// Deletes the workload's keys (it may share a Redis given with `--redis`).
    private func deleteKeys(prefix: String, admin: RedisClient) async throws {
        var cursor = "0"
        repeat {
            let reply = try await admin.send("SCAN", cursor, "MATCH", "\(prefix):*", "COUNT", "1000")
            guard let parts = reply.array, parts.count == 2 else { return }
            cursor = parts[0].string ?? "0"
            let keys = (parts[1].array ?? []).compactMap(\.string)
            if !keys.isEmpty { _ = try await admin.send(RedisCommand("UNLINK", arguments: keys)) }
        } while cursor != "0"
    }
}
