import Dispatch
import Foundation
import Synchronization

/// Fails requests whose caller's deadline passed, from a thread of its own: a caller returns at its
/// deadline whatever its connection's thread is doing (resolving a host name, connecting, or blocked
/// reading from a stopped Redis).
///
/// Deadlines wait in a min-heap. A request answered in time stays there until its deadline and is then
/// dropped; the heap is compacted when it grows, so it stays proportional to the requests in flight.
/// The thread sleeps until the earliest deadline, and is woken only when a new deadline comes earlier.
///
/// `@unchecked Sendable`: everything shared is behind `state` (a `Mutex`); the semaphore is thread-safe.
final class DeadlineWatch: @unchecked Sendable {
    private struct Entry {
        let deadline: ContinuousClock.Instant
        let request: RedisRequest
        let timeout: Duration
    }

    private struct State {
        var heap: [Entry] = []
        /// When the thread wakes next; `nil` while it sleeps with nothing to watch.
        var wakeAt: ContinuousClock.Instant?
        var compactAbove = DeadlineWatch.minimumCompaction
        var closed = false
    }

    private static let minimumCompaction = 4_096
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Fails `request` with ``RedisClientError/Code/timedOut`` at `now + timeout` unless it is answered first.
    func watch(_ request: RedisRequest, timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        let signal = state.withLock { state -> Bool in
            if state.closed { return false }
            Self.push(Entry(deadline: deadline, request: request, timeout: timeout), onto: &state.heap)
            if let wakeAt = state.wakeAt, wakeAt <= deadline { return false }
            state.wakeAt = deadline
            return true
        }
        if signal { wake.signal() }
    }

    /// Ends the thread; requests still watched are failed by their connections.
    func close() {
        state.withLock { $0.closed = true }
        wake.signal()
    }

    private func run() {
        while true {
            let now = ContinuousClock.now
            let (expired, next, closed) = state.withLock { state -> ([Entry], ContinuousClock.Instant?, Bool) in
                var expired: [Entry] = []
                while let first = state.heap.first, first.deadline <= now {
                    expired.append(Self.popFirst(from: &state.heap))
                }
                if state.heap.count > state.compactAbove {
                    state.heap = state.heap.filter { $0.request.isWaiting }
                    state.heap.sort { $0.deadline < $1.deadline }  // a sorted array is a valid heap
                    state.compactAbove = max(Self.minimumCompaction, state.heap.count * 2)
                }
                state.wakeAt = state.heap.first?.deadline
                if state.closed { state.heap = [] }
                return (expired, state.wakeAt, state.closed)
            }
            for entry in expired where entry.request.isWaiting {
                entry.request.fail(
                    RedisClientError(.timedOut, "no reply within the deadline of \(entry.timeout)")
                )
            }
            if closed { return }
            if let next {
                let nanoseconds = max(0, (next - .now) / .nanoseconds(1))
                _ = wake.wait(timeout: .now() + .nanoseconds(Int(min(nanoseconds, Double(Int32.max)))))
            } else {
                wake.wait()
            }
        }
    }

    private static func push(_ entry: Entry, onto heap: inout [Entry]) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private static func popFirst(from heap: inout [Entry]) -> Entry {
        let first = heap[0]
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
