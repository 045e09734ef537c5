import Synchronization

/// Loads waiting for another instance to fill a key; woken by the fill message on the events channel.
///
/// A load registers a ticket before it first reads Redis and keeps it until it returns, so that a fill
/// announced while it is between a read and its wait is remembered and ends the next wait at once, instead of
/// being lost and costing a whole poll interval. A fill message that carries the value hands it to the waiters,
/// which then need no second read of Redis.
final class FillWaiters: Sendable {
    /// One load's registration for one key.
    struct Ticket: Sendable {
        fileprivate let key: String
        fileprivate let id: UInt64
    }

    /// What a fill message told.
    enum Fill: Sendable {
        /// The key was filled; Redis has the value.
        case announced
        /// The key was filled with this value.
        case value(FilledValue)
    }

    private struct Waiter {
        /// A fill that came while nobody was waiting on the ticket.
        var fill: Fill?
        /// The current wait's time ran out before it suspended.
        var expired = false
        var continuation: CheckedContinuation<Fill?, Never>?
    }

    private struct State {
        var nextID: UInt64 = 0
        var waiters: [String: [UInt64: Waiter]] = [:]
    }

    private let state = Mutex(State())

    /// Tickets registered now.
    var count: Int { state.withLock { $0.waiters.values.reduce(0) { $0 + $1.count } } }

    /// Tickets registered now for `key`.
    func count(_ key: String) -> Int { state.withLock { $0.waiters[key]?.count ?? 0 } }

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
        waiter?.continuation?.resume(returning: nil)
    }

    /// Waits until a fill of the ticket's key is announced (or was, since the last wait), or `timeout` passes.
    /// - Returns: What the fill message told, or `nil` when none came in time.
    func wait(_ ticket: Ticket, timeout: Duration) async -> Fill? {
        await withTaskGroup(of: Fill?.self) { group in
            group.addTask { await self.suspend(ticket) }
            group.addTask {
                // Ends the suspension whether the time ran out or the wait was cancelled.
                try? await Task.sleep(for: timeout)
                self.expire(ticket)
                return nil
            }
            var fill = await group.next() ?? nil
            group.cancelAll()
            for await result in group where fill == nil { fill = result }
            state.withLock { $0.waiters[ticket.key]?[ticket.id]?.expired = false }
            return fill
        }
    }

    /// Wakes every load waiting for `key` with what the fill message told, and tells those between two waits.
    func wake(_ key: String, _ fill: Fill = .announced) {
        let woken = state.withLock { state -> [CheckedContinuation<Fill?, Never>] in
            guard var waiters = state.waiters[key] else { return [] }
            var woken: [CheckedContinuation<Fill?, Never>] = []
            for id in waiters.keys {
                if let continuation = waiters[id]?.continuation {
                    woken.append(continuation)
                    waiters[id]?.continuation = nil
                } else {
                    waiters[id]?.fill = fill
                }
            }
            state.waiters[key] = waiters
            return woken
        }
        for continuation in woken { continuation.resume(returning: fill) }
    }

    /// Gives a fill back to the ticket, for its next wait, unless another came meanwhile.
    func keep(_ ticket: Ticket, _ fill: Fill) {
        state.withLock { state in
            guard state.waiters[ticket.key]?[ticket.id] != nil, state.waiters[ticket.key]?[ticket.id]?.fill == nil else { return }
            state.waiters[ticket.key]?[ticket.id]?.fill = fill
        }
    }

    private func suspend(_ ticket: Ticket) async -> Fill? {
        await withCheckedContinuation { continuation in
            let answer = state.withLock { state -> Fill?? in
                guard let waiter = state.waiters[ticket.key]?[ticket.id] else { return .some(nil) }
                if let fill = waiter.fill {
                    state.waiters[ticket.key]?[ticket.id]?.fill = nil
                    return .some(fill)
                }
                if waiter.expired { return .some(nil) }
                state.waiters[ticket.key]?[ticket.id]?.continuation = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Ends the current wait on the ticket as not filled, whether it has suspended yet or not.
    private func expire(_ ticket: Ticket) {
        let continuation = state.withLock { state -> CheckedContinuation<Fill?, Never>? in
            let continuation = state.waiters[ticket.key]?[ticket.id]?.continuation
            state.waiters[ticket.key]?[ticket.id]?.continuation = nil
            if continuation == nil { state.waiters[ticket.key]?[ticket.id]?.expired = true }
            return continuation
        }
        continuation?.resume(returning: nil)
    }
}

/// A value as a fill message carries it: the bytes, how long they are fresh, and their tags.
struct FilledValue: Sendable {
    var bytes: [UInt8]
    var timeToLive: Duration
    var tags: [String]
}
