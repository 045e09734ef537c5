import Logging
import Resilience

extension SharedBreakerRegistry {
    /// Applies an operator's command to a breaker fleet-wide (the same path as `bulwark breaker isolate …`),
    /// and applies Redis's answer to this instance's breaker of that name at once.
    ///
    /// `isolate()`, `disable()` and `reset()` on a breaker of this registry take this path too.
    /// - Parameters:
    ///   - command: What to do.
    ///   - name: The breaker's name.
    /// - Returns: Redis's state of the breaker afterwards.
    /// - Throws: ``SharedStateError`` when the name is malformed or Redis did not take the command; nothing
    ///   changed then, in Redis or here.
    @discardableResult
    public func command(_ command: SharedBreakerStore.Command, breaker name: String) async throws(SharedStateError) -> SharedBreakerSnapshot {
        let breakerName = try BreakerName(name)
        let snapshot = try await store.command(command, breaker: breakerName)
        if let entry = entry(name) { apply(snapshot, to: entry) }
        logger.notice(
            "operator command applied to a shared breaker",
            metadata: ["breaker.name": "\(name)", "breaker.command": "\(command.rawValue)", "breaker.generation": "\(snapshot.generation)"]
        )
        return snapshot
    }
}
