import Synchronization

/// Loads waiting for another instance to fill a key; woken by the fill message on the events channel.
///
/// A load registers a ticket before it first reads Redis and keeps it until it returns, so that a fill
/// announced while it is between a read and its wait is remembered and ends the next wait at once, instead of
/// being lost and costing a whole poll interval.
final class FillWaiters: Sendable {
    /// One load's registration for one key.
    struct Ticket: Sendable {
        fileprivate let key: String
        fileprivate let id: UInt64
    }

    private struct Waiter {
        /// A fill came while nobody was waiting on the ticket.
        var filled = false
        /// The current wait's time ran out before it suspended.
        var expired = false
        var continuation: CheckedContinuation<Bool, Never>?
    }

    private struct State {
        var nextID: UInt64 = 0
        var waiters: [String: [UInt64: Waiter]] = [:]
    }

    private let state = Mutex(State())

    /// Tickets registered now.
    var count: Int { state.withLock { $0.waiters.values.reduce(0) { $0 + $1.count } } }

    /// Starts listening for fills of `key`; pair with ``cancel(_:)``.
    func register(_ key: String) -> Ticket {
        state.withLock { state in
            state.nextID &+= 1
            state.waiters[key, default: [:]][state.nextID] = Waiter()
            return Ticket(key: key, id: state.nextID)
        }
    }

    /// Stops listening.
    func cancel(_ ticket: Ticket) {
        let waiter = state.withLock { state -> Waiter? in
            let waiter = state.waiters[ticket.key]?.removeValue(forKey: ticket.id)
            if state.waiters[ticket.key]?.isEmpty == true { state.waiters[ticket.key] = nil }
            return waiter
        }
        waiter?.continuation?.resume(returning: false)
    }

    /// Waits until a fill of the ticket's key is announced (or was, since the last wait), or `timeout` passes.
    /// - Returns: Whether a fill was announced.
    func wait(_ ticket: Ticket, timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.suspend(ticket) }
            group.addTask {
                // Ends the suspension whether the time ran out or the wait was cancelled.
                try? await Task.sleep(for: timeout)
                self.expire(ticket)
                return false
            }
            var filled = await group.next() ?? false
            group.cancelAll()
            for await result in group { filled = filled || result }
            state.withLock { $0.waiters[ticket.key]?[ticket.id]?.expired = false }
            return filled
        }
    }

    /// Wakes every load waiting for `key`, and marks those between two waits.
    func wake(_ key: String) {
        let woken = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard var waiters = state.waiters[key] else { return [] }
            var woken: [CheckedContinuation<Bool, Never>] = []
            for id in waiters.keys {
                if let continuation = waiters[id]?.continuation {
                    woken.append(continuation)
                    waiters[id]?.continuation = nil
                } else {
                    waiters[id]?.filled = true
                }
            }
            state.waiters[key] = waiters
            return woken
        }
        for continuation in woken { continuation.resume(returning: true) }
    }

    private func suspend(_ ticket: Ticket) async -> Bool {
        await withCheckedContinuation { continuation in
            let answer = state.withLock { state -> Bool? in
                guard let waiter = state.waiters[ticket.key]?[ticket.id] else { return false }
                if waiter.filled {
                    state.waiters[ticket.key]?[ticket.id]?.filled = false
                    return true
                }
                if waiter.expired { return false }
                state.waiters[ticket.key]?[ticket.id]?.continuation = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Ends the current wait on the ticket as not filled, whether it has suspended yet or not.
    private func expire(_ ticket: Ticket) {
        let continuation = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            let continuation = state.waiters[ticket.key]?[ticket.id]?.continuation
            state.waiters[ticket.key]?[ticket.id]?.continuation = nil
            if continuation == nil { state.waiters[ticket.key]?[ticket.id]?.expired = true }
            return continuation
        }
        continuation?.resume(returning: false)
    }
}
