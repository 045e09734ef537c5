/// The same-run reference every Redis workload is compared with.
extension BenchContext {
    /// Runs `redis-benchmark` against the bench's Redis with these settings and returns the requests per
    /// second of the test `pick`, or `nil` when the Redis has no known port.
    func referenceOpsPerSecond(
        tests: [String],
        pick: String,
        clients: Int,
        pipeline: Int = 1,
        requests: Int,
        dataSize: Int
    ) async throws -> Double? {
        guard let port = redisPort else { return nil }
        let figures = try await RedisBenchmarkReference.run(
            host: redisHost,
            port: port,
            tests: tests,
            clients: clients,
            pipeline: pipeline,
            requests: requests,
            dataSize: dataSize
        )
        return figures[pick]?.requestsPerSecond
    }
}

extension BenchLine {
    /// Adds `reference` (`tool`, `ops_per_s`) and `ratio` (ours / reference) when the reference is known.
    mutating func addReference(tool: String, opsPerSecond reference: Double?, ours: Double) {
        guard let reference, reference.isFinite, reference > 0 else { return }
        var object = BenchLine()
        object["tool"] = .string(tool)
        object["ops_per_s"] = .int(Int(reference))
        self["reference"] = .object(object)
        self["ratio"] = .double(ours / reference)
    }
}
