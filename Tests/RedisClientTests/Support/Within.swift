/// `body` took longer than the test allows: what it waited for never happened.
struct DeadlineExceeded: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "not done within \(limit)" }
}

/// Runs `body` and returns its result, or throws ``DeadlineExceeded`` after `limit`: every awaited event in
/// these tests has a deadline, generous enough for a loaded machine (it bounds "never happens", it measures
/// nothing).
func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DeadlineExceeded(limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded(limit: limit) }
        return first
    }
}

/// Something polled for is not there yet.
struct NotYet: Error {}
