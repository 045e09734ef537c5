import Synchronization

/// A clock that moves only when told to, for tests that must run instantly and deterministically.
///
/// `sleep` suspends until ``advance(by:)`` (or ``advance(to:)``) moves the clock to or past the
/// sleeper's deadline; sleepers are woken in deadline order (ties in the order they went to sleep).
/// ``waitForSleepers(count:)`` lets a test wait until the code under test has actually gone to
/// sleep before moving time, so no test needs a real sleep.
///
/// ```swift
/// let clock = ManualClock()
/// async let result = retry.execute { try await flaky() }
/// await clock.waitForSleepers(count: 1)
/// clock.advance(by: .seconds(1))
/// ```
public final class ManualClock: ResilienceClock {
    private struct Sleeper {
        var deadline: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Watcher {
        var count: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private enum Registration {
        case cancelled
        case elapsed
        case registered([CheckedContinuation<Void, Never>])
    }

    private struct State {
        var now: Int64
        var nextID: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
        var cancelledBeforeRegistration: Set<UInt64> = []
        var watchers: [Watcher] = []

        mutating func readyWatchers() -> [CheckedContinuation<Void, Never>] {
            var ready: [CheckedContinuation<Void, Never>] = []
            watchers.removeAll { watcher in
                guard sleepers.count >= watcher.count else { return false }
                ready.append(watcher.continuation)
                return true
            }
            return ready
        }
    }

    private let state: Mutex<State>

    /// Creates a manual clock.
    /// - Parameter start: The initial instant; zero unless a test needs another.
    public init(start: ResilienceInstant = ResilienceInstant(nanoseconds: 0)) {
        state = Mutex(State(now: start.nanoseconds))
    }

    /// The clock's current instant.
    public var now: ResilienceInstant {
        ResilienceInstant(nanoseconds: state.withLock { $0.now })
    }

    /// How many tasks are sleeping on this clock right now.
    public var sleeperCount: Int {
        state.withLock { $0.sleepers.count }
    }

    /// Suspends until the clock has been advanced to `deadline`.
    /// - Parameter deadline: The instant to wait for; returns at once when it has passed.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func sleep(until deadline: ResilienceInstant) async throws {
        let id = state.withLock { state -> UInt64? in
            guard deadline.nanoseconds > state.now else { return nil }
            state.nextID += 1
            return state.nextID
        }
        guard let id else {
            try Task.checkCancellation()
            return
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let registration = state.withLock { state -> Registration in
                    if state.cancelledBeforeRegistration.remove(id) != nil { return .cancelled }
                    if deadline.nanoseconds <= state.now { return .elapsed }
                    state.sleepers[id] = Sleeper(deadline: deadline.nanoseconds, continuation: continuation)
                    return .registered(state.readyWatchers())
                }
                switch registration {
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .elapsed: continuation.resume()
                case .registered(let ready): for watcher in ready { watcher.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let sleeper = state.sleepers.removeValue(forKey: id) { return sleeper }
                state.cancelledBeforeRegistration.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper whose deadline has been reached.
    /// - Parameter duration: How far to move; must not be negative.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "ManualClock cannot go backwards")
        advance(to: now.advanced(by: duration))
    }

    /// Moves the clock to `instant` (if it is later than now) and wakes every sleeper whose deadline has been reached.
    /// - Parameter instant: The new current instant.
    public func advance(to instant: ResilienceInstant) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, instant.nanoseconds)
            let dueIDs = state.sleepers.filter { $0.value.deadline <= state.now }
                .sorted { ($0.value.deadline, $0.key) < ($1.value.deadline, $1.key) }
                .map(\.key)
            return dueIDs.compactMap { state.sleepers.removeValue(forKey: $0) }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Suspends until at least `count` tasks are sleeping on this clock.
    ///
    /// Use it before ``advance(by:)`` so that the advance reaches the sleeper it is meant for.
    /// - Parameter count: The number of sleepers to wait for.
    public func waitForSleepers(count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.sleepers.count >= count { return true }
                state.watchers.append(Watcher(count: count, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
