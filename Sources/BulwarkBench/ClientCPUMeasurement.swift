import Foundation
import RedisClient

/// The CPU this process spends per Redis command at a steady 1,000 commands a second (`getrusage`), and
/// redis-server's own over the same seconds (`INFO cpu`, `INFO stats`) as the reference. The one home of this
/// measurement: the `client-cpu` workload and W9 both report it.
struct ClientCPUMeasurement {
    /// Commands a second.
    static let rate = 1_000
    var commands: Int
    var commandsPerSecond: Double
    var clientMicrosecondsPerCommand: Double
    var serverMicrosecondsPerCommand: Double
    /// How often the client's connection threads spun per command (``RedisClientStatistics/spins``).
    var spinsPerCommand: Double

    /// Writes the client's CPU per command, its rate, and redis-server's own CPU per command as the reference
    /// measured in the same seconds, into `line`: the one place both workloads that report it take it from.
    func report(into line: inout BenchLine) {
        line["cpu_us_per_command"] = .double(clientMicrosecondsPerCommand)
        line["commands_per_s"] = .double(commandsPerSecond)
        var reference = BenchLine()
        reference["tool"] = .string("redis-server used_cpu_sys+used_cpu_user, same seconds")
        reference["cpu_us_per_command"] = .double(serverMicrosecondsPerCommand)
        line["reference"] = .object(reference)
    }

    /// Sends one `GET` every millisecond for `seconds`, each waiting for its reply, as a service under moderate
    /// load would.
    static func run(client: RedisClient, seconds: Int) async throws -> ClientCPUMeasurement {
        try await client.send("SET", "bench:cpu", "value")
        let commands = seconds * rate
        let clock = ContinuousClock()
        let serverBefore = try await serverCPU(client)
        let before = processCPUMicroseconds()
        let spinsBefore = client.statistics.spins
        let start = clock.now
        for index in 0..<commands {
            try await clock.sleep(until: start + .seconds(1) / rate * index)
            _ = try await client.send("GET", "bench:cpu")
        }
        let elapsed = clock.now - start
        let used = processCPUMicroseconds() - before
        let spins = client.statistics.spins - spinsBefore
        let serverAfter = try await serverCPU(client)
        // The INFO calls themselves are commands too; they are few beside the thousands measured.
        let served = max(serverAfter.commands - serverBefore.commands, 1)
        return ClientCPUMeasurement(
            commands: commands,
            commandsPerSecond: Double(commands) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18),
            clientMicrosecondsPerCommand: used / Double(commands),
            serverMicrosecondsPerCommand: (serverAfter.cpuSeconds - serverBefore.cpuSeconds) * 1e6 / Double(served),
            spinsPerCommand: Double(spins) / Double(commands)
        )
    }

    /// User and system CPU of this process so far, in microseconds.
    static func processCPUMicroseconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func microseconds(_ time: timeval) -> Double { Double(time.tv_sec) * 1e6 + Double(time.tv_usec) }
        return microseconds(usage.ru_utime) + microseconds(usage.ru_stime)
    }

    /// redis-server's CPU seconds and commands processed so far.
    private static func serverCPU(_ client: RedisClient) async throws -> (cpuSeconds: Double, commands: Int) {
        let cpu = RedisInfo(try await client.send("INFO", "cpu").string ?? "")
        let stats = RedisInfo(try await client.send("INFO", "stats").string ?? "")
        return (cpu.double("used_cpu_sys") + cpu.double("used_cpu_user"), Int(stats.double("total_commands_processed")))
    }
}

/// The `field:value` lines of an `INFO` reply.
struct RedisInfo {
    private var fields: [Substring: Substring] = [:]

    init(_ text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon]] = line[line.index(after: colon)...]
        }
    }

    /// The field as a number, 0 when absent.
    func double(_ name: Substring) -> Double { fields[name].flatMap { Double($0) } ?? 0 }
}
