import Synchronization

/// Callers waiting for another instance to fill a key; woken by the fill message on the events channel.
final class FillWaiters: Sendable {
    private let waiters = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    /// Waits until `key` is announced as filled, or `timeout` passes, whichever comes first.
    func wait(for key: String, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    self.waiters.withLock { $0[key, default: []].append(continuation) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { self.wake(key) }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Wakes everyone waiting for `key`.
    func wake(_ key: String) {
        let woken = waiters.withLock { $0.removeValue(forKey: key) ?? [] }
        for continuation in woken { continuation.resume() }
    }
}
