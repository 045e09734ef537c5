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
        line["commands_per_s"] = .double(cpu.commandsPerSecond)
        line["cpu_us_per_command"] = .double(cpu.clientMicrosecondsPerCommand)
        line["spins_per_command"] = .double(cpu.spinsPerCommand)
        var reference = BenchLine()
        reference["tool"] = .string("redis-server used_cpu_sys+used_cpu_user, same seconds")
        reference["cpu_us_per_command"] = .double(cpu.serverMicrosecondsPerCommand)
        line["reference"] = .object(reference)
        line["ops_per_s"] = .double(.nan)
        context.emit(line)
    }
}
