import Synchronization

/// The helper tasks a store starts beside its callers (timers, lease renewals, background fills), counted
/// while they live, so that tests can see that none outlives its purpose.
final class HelperTasks: Sendable {
    private let live = Atomic<Int>(0)

    /// How many helper tasks are running now.
    var count: Int { live.load(ordering: .relaxed) }

    /// Starts `body` as an unstructured task, counted until it returns.
    @discardableResult
    func spawn<Success: Sendable>(_ body: @escaping @Sendable () async -> Success) -> Task<Success, Never> {
        live.add(1, ordering: .relaxed)
        return Task {
            defer { self.live.subtract(1, ordering: .relaxed) }
            return await body()
        }
    }
}
