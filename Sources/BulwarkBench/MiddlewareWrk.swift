import Foundation

/// Runs `wrk` (Debian's package) against a local route and reads its figures.
enum MiddlewareWrk {
    /// What one `wrk` run measured.
    struct Figures: Sendable {
        var requests: Int
        var requestsPerSecond: Double
        var p50Microseconds: Double
        var p99Microseconds: Double
        var non2xx: Int
    }

    /// The failure of a run: `wrk` missing, failing, or printing nothing usable.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The Lua script: POSTs a 64-byte JSON body with an `Idempotency-Key` that is new for every request
    /// (`first`) or the same for all (`replay`); the key starts with the run's tag so runs never share keys.
    static let script = """
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("tid", threads)
        end
        function init(args)
          path = args[1]
          mode = args[2]
          tag = args[3]
          counter = 0
          body = '{"sku":"mug-0001","quantity":2,"note":"bulwark bench w10 body"}'
        end
        function request()
          counter = counter + 1
          local key = tag .. "-replay"
          if mode == "first" then key = tag .. "-" .. tid .. "-" .. counter end
          return wrk.format("POST", path, {["Idempotency-Key"] = key, ["Content-Type"] = "application/json"}, body)
        end
        """

    /// Runs `wrk -t<1 or 2> -c<connections> -d<seconds>s --latency` with the script, on a thread of its own.
    static func run(url: String, path: String, mode: String, tag: String, connections: Int, seconds: Int, scriptPath: String) async throws -> Figures
    {
        let arguments = [
            "-t\(min(2, connections))", "-c\(connections)", "-d\(seconds)s", "--timeout", "5s", "--latency", "-s", scriptPath, url, "--", path, mode,
            tag,
        ]
        let output: Result<String, Failure> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: execute(arguments)) }.start()
        }
        return try parse(try output.get())
    }

    /// Writes the script to a temporary file and returns its path.
    static func writeScript() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-w10-\(getpid()).lua").path
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func execute(_ arguments: [String]) -> Result<String, Failure> {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .failure(Failure(description: "wrk not found; install it with scripts/install-dependencies.sh --bench"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(Failure(description: "cannot start wrk: \(error)"))
        }
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { return .failure(Failure(description: "wrk exited \(process.terminationStatus):\n\(text)")) }
        return .success(text)
    }

    /// Reads `Requests/sec`, the request count, the 50 % and 99 % latencies and the non-2xx count.
    static func parse(_ output: String) throws -> Figures {
        var figures = Figures(requests: 0, requestsPerSecond: 0, p50Microseconds: .nan, p99Microseconds: .nan, non2xx: 0)
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = words.first else { continue }
            if first == "Requests/sec:", words.count == 2, let value = Double(words[1]) {
                figures.requestsPerSecond = value
            } else if words.count >= 3, words[1] == "requests", words[2] == "in", let value = Int(first) {
                figures.requests = value
            } else if first == "50%", words.count == 2 {
                figures.p50Microseconds = microseconds(words[1])
            } else if first == "99%", words.count == 2 {
                figures.p99Microseconds = microseconds(words[1])
            } else if line.contains("Non-2xx or 3xx responses:"), let last = words.last, let value = Int(last) {
                figures.non2xx = value
            }
        }
        guard figures.requestsPerSecond > 0 else { throw Failure(description: "no Requests/sec in wrk's output:\n\(output)") }
        return figures
    }

    /// `512.00us`, `2.10ms` or `1.02s` in microseconds.
    private static func microseconds(_ text: Substring) -> Double {
        for (unit, scale) in [("us", 1.0), ("ms", 1_000.0), ("s", 1_000_000.0)] where text.hasSuffix(unit) {
            return (Double(text.dropLast(unit.count)) ?? .nan) * scale
        }
        return .nan
    }
}
