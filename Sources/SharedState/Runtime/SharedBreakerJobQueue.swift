import Synchronization

/// The registry's queue of Redis work, coalesced per breaker and therefore bounded without dropping anything.
///
/// At most one job of each kind waits per breaker: a flush queued while another flush of the same breaker
/// waits is the same flush; a newer proposal or probe claim replaces the waiting one (the newer one is what
/// the breaker wants now). So at most four jobs wait for each breaker, and the registry holds at most
/// ``SharedBreakerOptions/maxBreakers`` breakers: no job is ever dropped, so no proposal, operator command or
/// re-read after a gap is ever lost to a full queue.
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
    }

    private let state = Mutex(State())

    init() {}

    /// Jobs waiting now.
    var count: Int { state.withLock { $0.waiting.count } }

    /// Queues a job without waiting; returns whether it was queued (or coalesced with a waiting one): it is not
    /// once the queue is finished.
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
