import Synchronization

/// The registry's queue of Redis work: bounded, and coalesced per breaker.
///
/// At most one job of each kind waits per breaker: a flush queued while another flush of the same breaker
/// waits is the same flush; a newer proposal or probe claim replaces the waiting one (the breaker makes an
/// unanswered proposal again while its cause persists). The number of waiting jobs is capped; past the cap
/// a job is dropped and counted, and the breaker's next flush or synchronize repairs what it would have done.
final class SharedBreakerJobQueue: Sendable {
    private struct Key: Hashable {
        let name: String
        let kind: Int
    }

    private struct State {
        var order: [Key] = []
        var head = 0
        var waiting: [Key: SharedBreakerJob] = [:]
        var consumer: CheckedContinuation<SharedBreakerJob?, Never>?
        var finished = false
        var dropped = 0
    }

    /// The most jobs that wait at once.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Jobs dropped because the queue was full, since the queue was made.
    var droppedCount: Int { state.withLock { $0.dropped } }

    /// Jobs waiting now.
    var count: Int { state.withLock { $0.waiting.count } }

    /// Queues a job without waiting; returns whether it was queued (or coalesced with a waiting one).
    @discardableResult
    func enqueue(_ job: SharedBreakerJob) -> Bool {
        let key = Key(name: job.breakerName, kind: job.kind)
        let (consumer, accepted): (CheckedContinuation<SharedBreakerJob?, Never>?, Bool) = state.withLock { state in
            if state.finished { return (nil, false) }
            if let consumer = state.consumer {
                state.consumer = nil
                return (consumer, true)
            }
            if state.waiting[key] != nil {
                state.waiting[key] = job
                return (nil, true)
            }
            guard state.waiting.count < capacity else {
                state.dropped += 1
                return (nil, false)
            }
            state.waiting[key] = job
            state.order.append(key)
            return (nil, true)
        }
        consumer?.resume(returning: job)
        return accepted
    }

    /// The next job, waiting for one; `nil` once the queue is finished.
    func next() async -> SharedBreakerJob? {
        await withCheckedContinuation { continuation in
            let ready: SharedBreakerJob?? = state.withLock { state in
                while state.head < state.order.count {
                    let key = state.order[state.head]
                    state.head += 1
                    if state.head > 1_024, state.head * 2 > state.order.count {
                        state.order.removeFirst(state.head)
                        state.head = 0
                    }
                    if let job = state.waiting.removeValue(forKey: key) { return .some(job) }
                }
                if state.finished { return .some(nil) }
                state.consumer = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Ends the queue: the consumer gets the jobs still waiting, then `nil`; later jobs are refused.
    func finish() {
        let consumer = state.withLock { state in
            state.finished = true
            defer { state.consumer = nil }
            return state.consumer
        }
        consumer?.resume(returning: nil)
    }
}
