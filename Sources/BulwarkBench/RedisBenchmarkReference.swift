import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `redis-benchmark` measured for one test, such as `SET`.
struct RedisBenchmarkFigures: Sendable, Equatable {
    /// Requests per second (`rps`).
    var requestsPerSecond: Double
    /// The mean latency in milliseconds (`avg_latency_ms`), when the CSV has it.
    var averageMilliseconds: Double?
    /// The median latency in milliseconds (`p50_latency_ms`), when the CSV has it.
    var p50Milliseconds: Double?
    /// The 99th-percentile latency in milliseconds (`p99_latency_ms`), when the CSV has it.
    var p99Milliseconds: Double?
}

/// Runs `redis-benchmark`, the reference that the bench's own figures are compared with.
///
/// Runs `redis-benchmark -h H -p P -c C -P N -n N -d D [-r K] -t TESTS --csv -q` with no stdin and reads the
/// CSV it prints on stdout. Redis 7.0.15 prints, for `-t ping_mbulk,set,get`:
///
/// ```
/// "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
/// "PING_MBULK","175438.59","0.107","0.032","0.095","0.215","0.311","0.903"
/// "SET","188679.25","0.109","0.032","0.103","0.167","0.311","0.511"
/// "GET","185185.19","0.097","0.016","0.095","0.135","0.183","0.431"
/// ```
///
/// `SET` writes `-d` bytes to the key `key:__rand_int__` (a literal name without `-r`), which `GET` then reads,
/// so run `set,get` in one invocation to GET a value of the right size; the bench GETs the same literal key.
/// Results are keyed by the lowercased test name (`ping_mbulk`, `set`, `get`); `-t ping` yields both
/// `ping_inline` and `ping_mbulk`.
enum RedisBenchmarkReference {
    /// Why a run failed.
    struct Failure: Error, CustomStringConvertible {
        /// The kind of failure.
        struct Code: Hashable, Sendable, CustomStringConvertible {
            private enum Backing: Hashable, Sendable {
                case notInstalled, invalidSettings, connectionFailed, failed, timedOut, unparsableOutput
            }

            private let backing: Backing
            private init(_ backing: Backing) { self.backing = backing }

            /// `redis-benchmark` was not found on `PATH` (nor in `/usr/bin`, `/usr/local/bin`, `/opt/homebrew/bin`).
            static let notInstalled = Code(.notInstalled)
            /// A setting is out of range; the message names it.
            static let invalidSettings = Code(.invalidSettings)
            /// `redis-benchmark` could not connect to the server.
            static let connectionFailed = Code(.connectionFailed)
            /// `redis-benchmark` could not be started or exited with a non-zero status.
            static let failed = Code(.failed)
            /// The run passed its deadline and was killed.
            static let timedOut = Code(.timedOut)
            /// The output is not the expected CSV, or lacks a requested test.
            static let unparsableOutput = Code(.unparsableOutput)

            var description: String { "\(backing)" }
        }

        /// The kind of failure.
        var code: Code
        /// What went wrong, with the tool's stderr when it printed any.
        var message: String
        /// The file that threw the error.
        var file: String
        /// The line that threw the error.
        var line: Int

        init(code: Code, message: String, file: String = #fileID, line: Int = #line) {
            self.code = code
            self.message = message
            self.file = file
            self.line = line
        }

        var description: String { "redis-benchmark \(code): \(message) [\(file):\(line)]" }
    }

    /// Runs `redis-benchmark` and returns its figures per test, blocking the calling thread until it is done.
    ///
    /// From async code use ``run(host:port:tests:clients:pipeline:requests:dataSize:keyspace:password:timeout:executable:)``,
    /// which calls this on a thread of its own.
    ///
    /// - Parameters:
    ///   - host: The server's host, such as `127.0.0.1`.
    ///   - port: The server's port.
    ///   - tests: `redis-benchmark` test names (`-t`), such as `["ping_mbulk", "set", "get"]`.
    ///   - clients: Parallel connections (`-c`).
    ///   - pipeline: Requests pipelined per connection (`-P`); 1 for none.
    ///   - requests: Requests per test (`-n`).
    ///   - dataSize: Value size in bytes for `SET`/`GET` (`-d`).
    ///   - keyspace: Random keys in `0..<keyspace` (`-r`), or `nil` for the literal key `key:__rand_int__`.
    ///   - password: The server's password (`-a`), or `nil`.
    ///   - timeout: The deadline for the whole run, after which the tool is killed; 5 minutes by default.
    ///   - executable: The tool's name or path; `redis-benchmark` by default.
    /// - Returns: The figures keyed by lowercased test name, such as `"set"`.
    /// - Throws: ``Failure`` when the tool is missing, cannot connect, fails, runs too long or prints no usable CSV.
    static func runBlocking(
        host: String,
        port: Int,
        tests: [String],
        clients: Int,
        pipeline: Int,
        requests: Int,
        dataSize: Int,
        keyspace: Int? = nil,
        password: String? = nil,
        timeout: Duration = .seconds(300),
        executable: String = "redis-benchmark"
    ) throws(Failure) -> [String: RedisBenchmarkFigures] {
        for (name, value) in [("clients", clients), ("pipeline", pipeline), ("requests", requests), ("dataSize", dataSize), ("port", port)]
        where value < 1 {
            throw Failure(code: .invalidSettings, message: "\(name) must be at least 1, not \(value)")
        }
        if let keyspace, keyspace < 1 { throw Failure(code: .invalidSettings, message: "keyspace must be at least 1, not \(keyspace)") }
        let testNames = tests.map { $0.lowercased() }
        guard !testNames.isEmpty, testNames.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
            throw Failure(code: .invalidSettings, message: "tests must be non-empty names such as set or ping_mbulk, not \(tests)")
        }

        var arguments = [
            "-h", host, "-p", String(port), "-c", String(clients), "-P", String(pipeline), "-n", String(requests), "-d", String(dataSize),
        ]
        if let keyspace { arguments += ["-r", String(keyspace)] }
        if let password { arguments += ["-a", password, "--no-auth-warning"] }
        arguments += ["-t", testNames.joined(separator: ","), "--csv", "-q"]

        let output = try execute(try locate(executable), arguments: arguments, timeout: timeout)
        let figures = try parseCSV(output)
        // `-t ping` reports `ping_inline` and `ping_mbulk`; every other name must come back as itself.
        for name in testNames where name != "ping" && figures[name] == nil {
            throw Failure(code: .unparsableOutput, message: "no figures for \(name) in:\n\(output)")
        }
        return figures
    }

    /// Runs `redis-benchmark` on a thread of its own, so the cooperative pool is not blocked while the tool runs.
    ///
    /// ```swift
    /// let figures = try await RedisBenchmarkReference.run(
    ///     host: "127.0.0.1", port: 6379, tests: ["ping_mbulk", "set", "get"],
    ///     clients: 50, pipeline: 1, requests: 100_000, dataSize: 256
    /// )
    /// let getOpsPerSecond = figures["get"]?.requestsPerSecond
    /// ```
    ///
    /// The parameters, result and errors are those of
    /// ``runBlocking(host:port:tests:clients:pipeline:requests:dataSize:keyspace:password:timeout:executable:)``.
    static func run(
        host: String,
        port: Int,
        tests: [String],
        clients: Int,
        pipeline: Int,
        requests: Int,
        dataSize: Int,
        keyspace: Int? = nil,
        password: String? = nil,
        timeout: Duration = .seconds(300),
        executable: String = "redis-benchmark"
    ) async throws(Failure) -> [String: RedisBenchmarkFigures] {
        let result: Result<[String: RedisBenchmarkFigures], Failure> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    returning: Result { () throws(Failure) in
                        try runBlocking(
                            host: host,
                            port: port,
                            tests: tests,
                            clients: clients,
                            pipeline: pipeline,
                            requests: requests,
                            dataSize: dataSize,
                            keyspace: keyspace,
                            password: password,
                            timeout: timeout,
                            executable: executable
                        )
                    }
                )
            }
            thread.name = "redis-benchmark"
            thread.start()
        }
        return try result.get()
    }

    /// Parses `redis-benchmark --csv` output: a header row naming the columns, then one row per test.
    ///
    /// Only `test` and `rps` are required, so the shorter CSV of older versions parses too.
    /// - Returns: The figures keyed by lowercased test name.
    static func parseCSV(_ text: String) throws(Failure) -> [String: RedisBenchmarkFigures] {
        let rows = text.split(whereSeparator: \.isNewline).map { splitCSVRow(String($0)) }.filter { !$0.isEmpty }
        guard let header = rows.first, let testColumn = header.firstIndex(of: "test"), let rpsColumn = header.firstIndex(of: "rps") else {
            throw Failure(code: .unparsableOutput, message: "no CSV header with test and rps in:\n\(text)")
        }
        func number(_ row: [String], _ column: String) -> Double? {
            guard let index = header.firstIndex(of: column), index < row.count else { return nil }
            return Double(row[index])
        }
        var figures: [String: RedisBenchmarkFigures] = [:]
        for row in rows.dropFirst() {
            guard max(testColumn, rpsColumn) < row.count, let rps = Double(row[rpsColumn]) else {
                throw Failure(code: .unparsableOutput, message: "bad CSV row \(row) in:\n\(text)")
            }
            figures[row[testColumn].lowercased()] = RedisBenchmarkFigures(
                requestsPerSecond: rps,
                averageMilliseconds: number(row, "avg_latency_ms"),
                p50Milliseconds: number(row, "p50_latency_ms"),
                p99Milliseconds: number(row, "p99_latency_ms")
            )
        }
        guard !figures.isEmpty else { throw Failure(code: .unparsableOutput, message: "no test rows in:\n\(text)") }
        return figures
    }

    /// Splits one CSV row, removing the double quotes around fields (`""` inside quotes is one quote).
    private static func splitCSVRow(_ row: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = row.makeIterator()
        while let character = iterator.next() {
            switch character {
            case "\"" where quoted:
                var lookahead = iterator
                if lookahead.next() == "\"" {
                    field.append("\"")
                    iterator = lookahead
                } else {
                    quoted = false
                }
            case "\"" where field.isEmpty:
                quoted = true
            case "," where !quoted:
                fields.append(field)
                field = ""
            default:
                field.append(character)
            }
        }
        fields.append(field)
        return fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty ? [] : fields
    }

    /// The absolute path of `name`, searched on `PATH` and in the usual install directories.
    private static func locate(_ name: String) throws(Failure) -> String {
        let fallbacks = ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        let candidates =
            name.contains("/")
            ? [name]
            : ((ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + fallbacks).map { $0 + "/" + name }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(code: .notInstalled, message: "\(name) not found on PATH or in \(fallbacks); install redis-tools")
        }
        return path
    }

    /// Runs the tool with stdin from `/dev/null` and returns its stdout, killing it at the deadline.
    ///
    /// `redis-benchmark` retries forever when it cannot connect, so its stderr is watched and the run ends at once.
    private static func execute(_ executable: String, arguments: [String], timeout: Duration) throws(Failure) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr

        let collected = OutputCollector()
        let finished = DispatchSemaphore(value: 0)
        let drained = DispatchGroup()
        drained.enter()
        DispatchQueue.global().async {
            collected.appendStdout(stdout.fileHandleForReading.readDataToEndOfFile())
            drained.leave()
        }
        drained.enter()
        DispatchQueue.global().async {
            let handle = stderr.fileHandleForReading
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                if collected.appendStderr(chunk) { finished.signal() }
            }
            drained.leave()
        }
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw Failure(code: .failed, message: "cannot start \(executable): \(error)")
        }

        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let inTime = finished.wait(timeout: .now() + seconds) == .success
        var stoppedEarly = false
        if process.isRunning {
            stoppedEarly = true
            // SIGKILL, not terminate(): Foundation's Process passes the calling thread's signal mask on to the
            // child, and a thread that blocks SIGTERM would leave the tool running forever.
            kill(process.processIdentifier, SIGKILL)
            let killDeadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < killDeadline { usleep(10_000) }
        }
        _ = drained.wait(timeout: .now() + 5)
        let (output, errors) = collected.text

        if errors.contains("Could not connect to Redis") {
            throw Failure(code: .connectionFailed, message: errors.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if !inTime || stoppedEarly {
            throw Failure(code: .timedOut, message: "no result within \(timeout); stderr: \(errors)")
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw Failure(code: .failed, message: "exited with status \(process.terminationStatus); stderr: \(errors)")
        }
        return output
    }
}

/// Stdout and stderr gathered by reader threads.
private final class OutputCollector: Sendable {
    private struct Buffers {
        var stdout = Data()
        var stderr = Data()
        var sawConnectionFailure = false
    }

    private let buffers = Mutex(Buffers())

    func appendStdout(_ data: Data) {
        buffers.withLock { $0.stdout.append(data) }
    }

    /// Appends to stderr; returns `true` the first time stderr shows that the tool cannot connect.
    func appendStderr(_ data: Data) -> Bool {
        buffers.withLock { buffers in
            buffers.stderr.append(data)
            guard !buffers.sawConnectionFailure, String(decoding: buffers.stderr, as: UTF8.self).contains("Could not connect to Redis") else {
                return false
            }
            buffers.sawConnectionFailure = true
            return true
        }
    }

    var text: (stdout: String, stderr: String) {
        buffers.withLock { (String(decoding: $0.stdout, as: UTF8.self), String(decoding: $0.stderr, as: UTF8.self)) }
    }
}
