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
        /// The current wait: its number (so that the timer of an earlier wait cannot end a later one), its
        /// continuation and its timer.
        var wait: UInt64 = 0
        var continuation: CheckedContinuation<Fill?, Never>?
        var timer: Task<Void, Never>?
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
        waiter?.timer?.cancel()
    }

    /// Waits until a fill of the ticket's key is announced (or was, since the last wait), `timeout` passes, or
    /// the calling task is cancelled. The fill resumes the waiting task itself; the wait's timer is cancelled,
    /// not awaited.
    /// - Returns: What the fill message told, or `nil` when none came in time.
    func wait(_ ticket: Ticket, timeout: Duration) async -> Fill? {
        let wait = Mutex<UInt64?>(nil)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let started = state.withLock { state -> (fill: Fill?, wait: UInt64?) in
                    guard var waiter = state.waiters[ticket.key]?[ticket.id] else { return (nil, nil) }
                    if let fill = waiter.fill {
                        waiter.fill = nil
                        state.waiters[ticket.key]?[ticket.id] = waiter
                        return (fill, nil)
                    }
                    waiter.wait &+= 1
                    waiter.continuation = continuation
                    state.waiters[ticket.key]?[ticket.id] = waiter
                    return (nil, waiter.wait)
                }
                guard let number = started.wait else {
                    continuation.resume(returning: started.fill)
                    return
                }
                wait.withLock { $0 = number }
                let timer = Task {
                    do {
                        try await Task.sleep(for: timeout)
                    } catch {
                        return
                    }
                    self.end(ticket, wait: number)
                }
                let ended = state.withLock { state -> Bool in
                    guard state.waiters[ticket.key]?[ticket.id]?.wait == number,
                        state.waiters[ticket.key]?[ticket.id]?.continuation != nil
                    else { return true }
                    state.waiters[ticket.key]?[ticket.id]?.timer = timer
                    return false
                }
                if ended {
                    timer.cancel()
                } else if Task.isCancelled {
                    // Cancelled before the wait began: the handler below found no wait to end.
                    end(ticket, wait: number)
                }
            }
        } onCancel: {
            if let number = wait.withLock({ $0 }) { end(ticket, wait: number) }
        }
    }

    /// Wakes every load waiting for `key` with what the fill message told, and tells those between two waits.
    func wake(_ key: String, _ fill: Fill = .announced) {
        let woken = state.withLock { state -> [(CheckedContinuation<Fill?, Never>, Task<Void, Never>?)] in
            guard var waiters = state.waiters[key] else { return [] }
            var woken: [(CheckedContinuation<Fill?, Never>, Task<Void, Never>?)] = []
            for id in waiters.keys {
                if let continuation = waiters[id]?.continuation {
                    woken.append((continuation, waiters[id]?.timer))
                    waiters[id]?.continuation = nil
                    waiters[id]?.timer = nil
                } else {
                    waiters[id]?.fill = fill
                }
            }
            state.waiters[key] = waiters
            return woken
        }
        for (continuation, timer) in woken {
            continuation.resume(returning: fill)
            timer?.cancel()
        }
    }

    /// Gives a fill back to the ticket, for its next wait, unless another came meanwhile.
    func keep(_ ticket: Ticket, _ fill: Fill) {
        state.withLock { state in
            guard state.waiters[ticket.key]?[ticket.id] != nil, state.waiters[ticket.key]?[ticket.id]?.fill == nil else { return }
            state.waiters[ticket.key]?[ticket.id]?.fill = fill
        }
    }

    /// Ends wait number `wait` on the ticket as not filled, if it is still the current one and still waiting.
    private func end(_ ticket: Ticket, wait: UInt64) {
        let (continuation, timer) = state.withLock { state -> (CheckedContinuation<Fill?, Never>?, Task<Void, Never>?) in
            guard let waiter = state.waiters[ticket.key]?[ticket.id], waiter.wait == wait else { return (nil, nil) }
            state.waiters[ticket.key]?[ticket.id]?.continuation = nil
            state.waiters[ticket.key]?[ticket.id]?.timer = nil
            return (waiter.continuation, waiter.timer)
        }
        continuation?.resume(returning: nil)
        timer?.cancel()
    }
}

/// A value as a fill message carries it: the bytes, how long they are fresh, and their tags.
struct FilledValue: Sendable {
    var bytes: [UInt8]
    var timeToLive: Duration
    var tags: [String]
    /// The in-process tier's ``LocalCacheTier/removalCount`` when the message arrived: an invalidation after it
    /// makes the value unusable (it may be the one invalidated).
    var removalsAtArrival: UInt64
}
