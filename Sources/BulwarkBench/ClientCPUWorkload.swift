import RedisClient

/// The client's CPU cost per command at a moderate, paced rate, on its own: ``ClientCPUMeasurement`` (the one
/// measurement, which W9 reports too) on one connection for 5 s, beside redis-server's CPU per command over the
/// same seconds. A connection thread that spins or polls while it waits pays for it here, where a wake-up would
/// have been cheaper; `spins_per_command` says how often it did.
struct ClientCPUWorkload: BenchWorkload {
    let id = "client-cpu"
    let name = "client-cpu"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        let client = try context.makeClient(poolSize: 1, logger: context.quietLogger())
        defer { client.shutdown() }
        let cpu = try await ClientCPUMeasurement.run(client: client, seconds: context.scaled(5, quick: 1))
        var line = BenchLine(id: id, workload: name)
        line["n"] = .int(cpu.commands)
        line["rate_per_s"] = .int(ClientCPUMeasurement.rate)
        cpu.report(into: &line)
        line["spins_per_command"] = .double(cpu.spinsPerCommand)
        line["ops_per_s"] = .double(.nan)
        context.emit(line)
    }
}
