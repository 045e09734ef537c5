import Foundation
import RedisClient

/// What redis-server spent between two readings: CPU (`INFO cpu`), commands (`INFO stats`) and, per command,
/// calls and time inside Redis (`INFO commandstats`), for W14.
struct FleetScaleRedisMeter {
    /// One reading.
    struct Reading {
        var cpuMicroseconds: Double
        var commands: Double
        /// Command name → (calls, microseconds inside Redis).
        var perCommand: [String: (calls: Double, microseconds: Double)]
    }

    /// The difference of two readings.
    struct Delta {
        var cpuMicroseconds: Double
        var commands: Double
        var perCommand: [String: (calls: Double, microseconds: Double)]

        /// `name:calls/µs-per-call` for the commands Redis ran most, busiest first.
        var summary: String {
            perCommand.sorted { $0.value.microseconds > $1.value.microseconds }.prefix(6).map { name, value in
                let perCall = value.calls > 0 ? value.microseconds / value.calls : 0
                return "\(name):\(Int(value.calls))/\(String(format: "%.1f", perCall))us"
            }.joined(separator: ",")
        }
    }

    /// The meter's own commands per reading (three INFO), subtracted from the deltas.
    static let ownCommandsPerReading = 3.0

    static func read(_ client: RedisClient) async throws -> Reading {
        let cpu = RedisInfo(try await client.send("INFO", "cpu").string ?? "")
        let stats = RedisInfo(try await client.send("INFO", "stats").string ?? "")
        let commandStats = try await client.send("INFO", "commandstats").string ?? ""
        var perCommand: [String: (calls: Double, microseconds: Double)] = [:]
        // cmdstat_evalsha:calls=12,usec=345,usec_per_call=28.75,...
        for line in commandStats.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[line.index(line.startIndex, offsetBy: 8)..<colon])
            var calls = 0.0
            var usec = 0.0
            for pair in line[line.index(after: colon)...].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                if parts[0] == "calls" { calls = Double(parts[1]) ?? 0 }
                if parts[0] == "usec" { usec = Double(parts[1]) ?? 0 }
            }
            perCommand[name] = (calls, usec)
        }
        return Reading(
            cpuMicroseconds: (cpu.double("used_cpu_sys") + cpu.double("used_cpu_user")) * 1e6,
            commands: stats.double("total_commands_processed"),
            perCommand: perCommand
        )
    }

    static func delta(from start: Reading, to end: Reading) -> Delta {
        var perCommand: [String: (calls: Double, microseconds: Double)] = [:]
        for (name, value) in end.perCommand {
            let before = start.perCommand[name] ?? (0, 0)
            let calls = value.calls - before.calls - (name == "info" ? ownCommandsPerReading : 0)
            if calls > 0 { perCommand[name] = (calls, value.microseconds - before.microseconds) }
        }
        return Delta(
            cpuMicroseconds: end.cpuMicroseconds - start.cpuMicroseconds,
            commands: end.commands - start.commands - ownCommandsPerReading,
            perCommand: perCommand
        )
    }
}
