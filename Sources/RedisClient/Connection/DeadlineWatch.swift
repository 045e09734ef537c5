import Dispatch
import Foundation
import Synchronization

/// Fails requests whose caller's deadline passed, from a thread of its own: a caller returns at its
/// deadline whatever its connection's thread is doing (resolving a host name, connecting, or blocked
/// reading from a stopped Redis).
///
/// Nothing is registered per command. Each connection already holds its requests in send order, those
/// queued and those on the wire (``RedisConnection/expire(at:)``), and drops them once answered; the watch
/// looks only at those. It sleeps until the earliest deadline among them, so with every call on the
/// default timeout it wakes about once per timeout, not once per command, and not at all while idle. A
/// caller only reads one atomic (``wakeAt``) after queueing, and wakes the thread just when its deadline
/// comes before the thread's next wake-up: the first call after an idle spell, or a call with a shorter
/// timeout than those before it.
///
/// Scans are at least ``minimumGap`` apart, so that thousands of callers waiting on a stalled Redis cost
/// a scan a millisecond, not one per deadline; a call may end up to that much after its deadline.
///
/// `@unchecked Sendable`: `connections` is immutable, everything else shared is atomic; the semaphore is
/// thread-safe.
final class DeadlineWatch: @unchecked Sendable {
    /// The shortest time between two scans, in nanoseconds.
    static let minimumGap: UInt64 = 1_000_000
    /// The thread's next wake-up (``MonotonicTime``); `UInt64.max` while it has none, and while it scans,
    /// so that every request queued then wakes it again.
    private let wakeAt = Atomic<UInt64>(.max)
    private let closed = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let connections: [RedisConnection]

    init(connections: [RedisConnection], name: String) {
        self.connections = connections
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Tells the watch that a request with `deadline` was queued; call it after queueing.
    func noteQueued(deadline: UInt64) {
        var current = wakeAt.load(ordering: .acquiring)
        while deadline < current {
            let (exchanged, original) = wakeAt.compareExchange(
                expected: current,
                desired: deadline,
                ordering: .acquiringAndReleasing
            )
            if exchanged {
                wake.signal()
                return
            }
            current = original
        }
    }

    /// Ends the thread; requests still queued are failed by their connections.
    func close() {
        closed.store(true, ordering: .releasing)
        wake.signal()
    }

    private func run() {
        while !closed.load(ordering: .acquiring) {
            // From here on, a request queued after its connection was scanned wakes the thread again.
            wakeAt.store(.max, ordering: .sequentiallyConsistent)
            let now = MonotonicTime.now
            var next = UInt64.max
            for connection in connections {
                next = min(next, connection.expire(at: now))
            }
            if next != .max { next = max(next, now + Self.minimumGap) }
            publish(next)
            if next == .max {
                wake.wait()
            } else {
                _ = wake.wait(timeout: DispatchTime(uptimeNanoseconds: next))
            }
        }
    }

    /// Sets the next wake-up to `next`, unless a caller set an earlier one meanwhile (and signalled).
    private func publish(_ next: UInt64) {
        var current = UInt64.max
        while next < current {
            let (exchanged, original) = wakeAt.compareExchange(
                expected: current,
                desired: next,
                ordering: .acquiringAndReleasing
            )
            if exchanged { return }
            current = original
        }
    }
}
