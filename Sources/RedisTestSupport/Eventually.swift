/// Retries `body` until it succeeds or `attempts` run out, pausing between tries: for the moments after a
/// restart or a failover, when what is tested may fail fast a few times before it recovers.
/// - Returns: What `body` returned the first time it succeeded.
/// - Throws: The last error of `body` when every attempt failed.
public func eventually<Result>(
    attempts: Int = 100,
    pause: Duration = .milliseconds(50),
    _ body: () async throws -> Result
) async throws -> Result {
    var lastError: (any Error)?
    for _ in 0..<attempts {
        do {
            return try await body()
        } catch {
            lastError = error
            try await Task.sleep(for: pause)
        }
    }
    throw lastError ?? CancellationError()
}
