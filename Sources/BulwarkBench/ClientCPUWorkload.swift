import Foundation
import RedisClient

#if canImport(Glibc)
    import Glibc
#endif

/// The client's CPU cost per command at a moderate, paced rate — one caller sending a `PING` every
/// millisecond (1,000 commands/s) for 5 s on one connection — read from `getrusage` (user + system time of
/// the whole process, divided by the commands). A connection thread that spins or polls while it waits pays
/// for it here, where a wake-up would have been cheaper.
struct ClientCPUWorkload: BenchWorkload {
    let id = "client-cpu"
    let name = "client-cpu"
    let needsRedis = true

    func run(in context: BenchContext) async throws {
        let client = try context.makeClient(poolSize: 1, logger: context.quietLogger())
        defer { client.shutdown() }
        try await client.send("PING")
        let rate = 1_000
        let duration: Duration = context.quick ? .seconds(1) : .seconds(5)
        let commands = rate * Int(duration.components.seconds)
        let interval = Duration.seconds(1) / rate
        let clock = ContinuousClock()
        let before = Self.cpuMicroseconds()
        var next = clock.now
        for _ in 0..<commands {
            try await client.send("PING")
            next += interval
            try await Task.sleep(until: next, clock: clock)
        }
        let used = Self.cpuMicroseconds() - before
        var line = BenchLine(id: id, workload: name)
        line["n"] = .int(commands)
        line["rate_per_s"] = .int(rate)
        line["cpu_us_per_command"] = .double((used / Double(commands) * 100).rounded() / 100)
        line["cpu_percent_of_a_core"] = .double((used / Double(duration.components.seconds) / 1e4 * 100).rounded() / 100)
        context.emit(line)
    }

    /// User and system CPU time of this process so far, in microseconds.
    private static func cpuMicroseconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func micros(_ time: timeval) -> Double { Double(time.tv_sec) * 1e6 + Double(time.tv_usec) }
        return micros(usage.ru_utime) + micros(usage.ru_stime)
    }
}
