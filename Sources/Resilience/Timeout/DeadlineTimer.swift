import Synchronization

/// Fires callbacks at deadlines that never decrease, with one sleeping task for all of them.
///
/// A ``TimeoutPolicy`` adds the same duration to `now` for every call, so its deadlines arrive in
/// order and a FIFO queue is enough. Scheduling and cancelling take the lock briefly and touch no
/// system timer; one helper task sleeps on the clock until the earliest deadline and exists only
/// while deadlines are pending, so nothing is left running when the policy is idle. Two callers
/// racing may enqueue their deadlines out of order by the width of the race; the later-enqueued
/// earlier deadline then fires with the one before it, that much late.
final class DeadlineTimer: Sendable {
    private struct Entry {
        var deadline: ResilienceInstant
        var id: UInt64
    }

    private struct State {
        var queue: [Entry] = []
        var head = 0
        var callbacks: [UInt64: @Sendable () -> Void] = [:]
        var nextID: UInt64 = 0
        var helperRunning = false

        mutating func popCancelled() {
            while head < queue.count, callbacks[queue[head].id] == nil { head += 1 }
            if head > 64 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
        }
    }

    private let clock: any ResilienceClock
    private let state = Mutex(State())

    init(clock: any ResilienceClock) {
        self.clock = clock
    }

    /// Calls `callback` at `deadline` unless cancelled first; `deadline` must not be earlier than any scheduled before.
    func schedule(at deadline: ResilienceInstant, _ callback: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, startHelper) = state.withLock { state -> (UInt64, Bool) in
            state.nextID += 1
            state.queue.append(Entry(deadline: deadline, id: state.nextID))
            state.callbacks[state.nextID] = callback
            let start = !state.helperRunning
            state.helperRunning = true
            return (state.nextID, start)
        }
        if startHelper { Task { await self.fireDeadlines() } }
        return id
    }

    /// Cancels a scheduled callback; it will not be called.
    func cancel(_ id: UInt64) {
        _ = state.withLock { $0.callbacks.removeValue(forKey: id) }
    }

    private func fireDeadlines() async {
        while true {
            let next = state.withLock { state -> ResilienceInstant? in
                state.popCancelled()
                guard state.head < state.queue.count else {
                    state.queue.removeAll(keepingCapacity: true)
                    state.head = 0
                    state.helperRunning = false
                    return nil
                }
                return state.queue[state.head].deadline
            }
            guard let next else { return }
            try? await clock.sleep(until: next)
            let now = clock.now
            let due = state.withLock { state -> [@Sendable () -> Void] in
                var due: [@Sendable () -> Void] = []
                while state.head < state.queue.count, state.queue[state.head].deadline <= now {
                    if let callback = state.callbacks.removeValue(forKey: state.queue[state.head].id) { due.append(callback) }
                    state.head += 1
                }
                return due
            }
            for callback in due { callback() }
        }
    }
}
