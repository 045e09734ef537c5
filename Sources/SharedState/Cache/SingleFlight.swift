import Synchronization

/// Runs one load per key at a time in this process: concurrent callers for the same key share its result.
final class SingleFlight: Sendable {
    private let running = Mutex<[String: Task<[UInt8], any Error>]>([:])

    /// Joins the load of `key` in flight, or starts `load`.
    func run(_ key: String, _ load: @escaping @Sendable () async throws -> [UInt8]) async throws -> [UInt8] {
        let task = running.withLock { running -> Task<[UInt8], any Error> in
            if let existing = running[key] { return existing }
            let task = Task { try await load() }
            running[key] = task
            return task
        }
        defer { _ = running.withLock { running in running[key] == task ? running.removeValue(forKey: key) : nil } }
        return try await task.value
    }
}
